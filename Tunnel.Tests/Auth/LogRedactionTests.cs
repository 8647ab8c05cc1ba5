using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Tunnel.Server.Hosting;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Auth;

/// <summary>Tokens, signatures and magic tokens never reach a log line, whatever the level.</summary>
public sealed class LogRedactionTests
{
    [Fact]
    public async Task Secrets_InQueriesAndHeaders_NeverLogged()
    {
        await using var stack = await TunnelStack.StartAsync(new ServerSettings
        {
            Extra =
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            },
        });
        var secrets = new List<string> { TunnelServer.AdminToken, stack.Token };
        var signature = await AuthApi.CreateSignatureAsync(stack.Server, stack.ClientId, stack.Token);
        var magic = Guid.NewGuid().ToString();
        await AuthApi.RegisterMagicAsync(stack.Server, stack.ClientId, stack.Token, magic);
        var wrongToken = "guessed-" + Guid.NewGuid();
        var accessToken = "query-" + Guid.NewGuid();
        var encodedName = "encoded-" + Guid.NewGuid();
        var otherMagic = Guid.NewGuid().ToString();
        secrets.AddRange([signature, magic, wrongToken, accessToken, encodedName, otherMagic]);

        using var anonymous = stack.Server.CreateClient();
        await SendAsync(anonymous, HttpMethod.Get, BadCredentials.WithSignature(stack.Url("/files/track"), signature));
        await SendAsync(anonymous, HttpMethod.Get, stack.Url($"/files/track?SIGNATURE={Uri.EscapeDataString(signature)}"));
        await SendAsync(anonymous, HttpMethod.Get, stack.Url($"/files/albums/1/2?sig%6Eature={Uri.EscapeDataString(encodedName)}"));
        await SendAsync(anonymous, HttpMethod.Post, BadCredentials.WithSignature(stack.Url("/auth/validate-signature-token"), signature));
        await SendAsync(anonymous, HttpMethod.Get, $"/auth/magic-token?magicToken={magic}");
        await SendAsync(anonymous, HttpMethod.Get, $"/auth/magic-token?magicToken={magic}");
        await SendAsync(anonymous, HttpMethod.Post, $"/auth/magic-token?clientId={stack.ClientId}&magicToken={otherMagic}", "Bearer " + wrongToken);
        await SendAsync(anonymous, HttpMethod.Get, stack.Url($"/json?access_token={accessToken}&token={wrongToken}"));
        await SendAsync(anonymous, HttpMethod.Get, stack.Url("/json"), "Bearer " + stack.Token);
        await SendAsync(anonymous, HttpMethod.Get, stack.Url("/json"), "Bearer " + wrongToken);
        await SendAsync(anonymous, HttpMethod.Get, $"/ws?clientId={stack.ClientId}&sender=true&access_token={accessToken}");
        var hijack = async () =>
        {
            await using var connection = await RawAgentConnection.ConnectAsync(stack.Server, stack.ClientId, signature, "&signature=" + Uri.EscapeDataString(signature));
        };
        await hijack.Should().ThrowAsync<System.Net.WebSockets.WebSocketException>();
        await AuthApi.RevokeClientAsync(stack.Server, "someone-else");

        var records = stack.Server.Logs.GetSnapshot();
        records.Should().Contain(r => r.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && r.Message.Contains("Request starting", StringComparison.Ordinal),
            "the framework's request log, with the full URL, is captured");
        records.Should().Contain(r => r.Message.Contains("signature=" + LogRedactor.Mask, StringComparison.Ordinal));
        var text = Dump(records);
        foreach (var secret in secrets)
        {
            text.Should().NotContain(secret);
            text.Should().NotContain(Uri.EscapeDataString(secret));
        }
    }

    [Theory]
    [InlineData("GET http://h/files/track?clientId=a&signature=S3CRET&x=1", "GET http://h/files/track?clientId=a&signature=***&x=1")]
    [InlineData("?magicToken=S3CRET", "?magicToken=***")]
    [InlineData("/a?MagicToken=S3CRET#frag", "/a?MagicToken=***#frag")]
    [InlineData("/a?x=1&magic%54oken=S3CRET", "/a?x=1&magic%54oken=***")]
    [InlineData("/ws?access_token=S3CRET&sender=true", "/ws?access_token=***&sender=true")]
    [InlineData("token=S3CRET", "token=***")]
    [InlineData("Authorization: Bearer S3CRET", "Authorization: Bearer ***")]
    [InlineData("authorization=S3CRET", "authorization=***")]
    [InlineData("header 'Basic S3CRET' refused", "header 'Basic ***' refused")]
    [InlineData("/a?clientId=home&tokens=fine", "/a?clientId=home&tokens=fine")]
    [InlineData("nothing to hide", "nothing to hide")]
    public void Redactor_MasksOnlySecretValues(string input, string expected) =>
        LogRedactor.Redact(input).Should().Be(expected);

    [Fact]
    public void RedactingLogger_ScopeNeverRead_NotFormatted_ScopeRead_Redacted()
    {
        var unread = new CountingScope("/files/track?signature=S3CRET");
        var read = new CountingScope("/files/track?signature=S3CRET");
        using var provider = new FakeLoggerProvider();
        using var factory = new RedactingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(provider)), ownsInner: true);
        var logger = factory.CreateLogger("Test");

        using (logger.BeginScope(unread))
        {
            // A framework's per-request scope with nothing logged inside it.
        }

        object? captured;
        using (logger.BeginScope(read))
        {
            logger.LogWarning("inside");
            captured = provider.Collector.LatestRecord.Scopes.Single();
        }

        unread.Formatted.Should().Be(0, "a scope no provider reads costs no formatting or redaction");
        captured!.ToString().Should().Be("RequestPath:/files/track?signature=" + LogRedactor.Mask);
        ((IEnumerable<KeyValuePair<string, object?>>)captured).Single().Value.Should().Be("/files/track?signature=" + LogRedactor.Mask);
        read.Formatted.Should().Be(1);
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string url, string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await http.SendAsync(request);
        response.StatusCode.Should().NotBe(HttpStatusCode.InternalServerError);
        await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Everything a provider could write: message, structured values, scopes and exceptions.</summary>
    private static string Dump(IEnumerable<FakeLogRecord> records)
    {
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.AppendLine(record.Message);
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                text.Append(key).Append('=').AppendLine(value);
            }

            foreach (var scope in record.Scopes)
            {
                text.AppendLine(scope?.ToString());
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        text.Append(key).Append('=').AppendLine(value?.ToString());
                    }
                }
            }

            text.AppendLine(record.Exception?.ToString());
        }

        return text.ToString();
    }

    /// <summary>A structured scope like ASP.NET Core's request scope, counting how often it is formatted.</summary>
    private sealed class CountingScope(string path) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Formatted { get; private set; }

        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => new("RequestPath", path);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            Formatted++;
            return "RequestPath:" + path;
        }
    }
}
