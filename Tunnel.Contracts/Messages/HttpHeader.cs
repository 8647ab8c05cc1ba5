using MessagePack;
using Tunnel.Contracts.Wire;

namespace Tunnel.Contracts.Messages;

/// <summary>
/// One header field. Repeated fields (Set-Cookie) are repeated entries, in order.
/// </summary>
/// <remarks>
/// Field values are opaque bytes (RFC 9110 §5.5 allows obs-text, bytes 0x80–0xFF, e.g. a raw UTF-8 file name in
/// <c>Content-Disposition</c>). Both sides read and write header bytes as ISO-8859-1 (Latin-1), so each byte is one
/// <see cref="char"/> U+0000–U+00FF and travels unchanged: a value is never decoded as UTF-8 and never re-encoded.
/// A value holding CR, LF, NUL or a char above U+00FF is invalid (see
/// <see cref="Protocol.HeaderValues.IsValid(string)"/>); the receiving side refuses the whole message.
/// </remarks>
/// <param name="Name">Field name as received (a token: ASCII only).</param>
/// <param name="Value">Field value as received: one char per byte (Latin-1), leading and trailing spaces trimmed.</param>
[MessagePackFormatter(typeof(HttpHeaderFormatter))]
public sealed record HttpHeader(string Name, string Value);
