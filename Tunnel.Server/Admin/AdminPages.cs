using System.Text.Encodings.Web;

namespace Tunnel.Server.Admin;

/// <summary>
/// The admin page's HTML, written here (no templates, no build step). Dynamic values are HTML-encoded; the dashboard's
/// live part is drawn by <c>/admin/admin.js</c> from server-sent events.
/// </summary>
internal static class AdminPages
{
    public static IResult Disabled() => Page(StatusCodes.Status503ServiceUnavailable, "Tunnel admin", """
        <main class="card narrow">
          <h1>Tunnel admin</h1>
          <p class="notice" id="disabled">Registration and the admin page are disabled on this server.</p>
          <p>Set <code>Tunnel:AdminToken</code> (environment: <code>Tunnel__AdminToken</code>, at least 16 characters) and restart it to open them.</p>
        </main>
        """);

    public static IResult SignIn(int status = StatusCodes.Status200OK, string? error = null) => Page(status, "Tunnel admin: sign in", $"""
        <main class="card narrow">
          <h1>Tunnel admin</h1>
          <form id="sign-in" method="post" action="/admin/sign-in">
            <label for="token">Admin token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
            <button type="submit">Sign in</button>
          </form>
          {(error is null ? "" : $"<p class=\"error\" id=\"error\" role=\"alert\">{HtmlEncoder.Default.Encode(error)}</p>")}
        </main>
        """);

    public static IResult Dashboard(string csrfToken, string node) => Page(StatusCodes.Status200OK, "Tunnel admin", $"""
        <header>
          <h1>Tunnel admin <span class="node">node {HtmlEncoder.Default.Encode(node)}</span></h1>
          <span id="live" class="live">connecting…</span>
          <button id="sign-out" type="button" class="quiet">Sign out</button>
        </header>
        <main>
          <section class="totals" aria-label="totals">
            <div><span id="total-agents">–</span><small>agents</small></div>
            <div><span id="total-in-flight">–</span><small>in flight</small></div>
            <div><span id="total-requests">–</span><small>requests</small></div>
            <div><span id="total-down">–</span><small>from agents</small></div>
            <div><span id="total-up">–</span><small>to agents</small></div>
          </section>
          <table id="agents">
            <thead><tr><th>client</th><th>node</th><th>connected since</th><th>in flight</th><th>requests</th>
              <th>from agent</th><th>to agent</th><th>last error</th><th></th></tr></thead>
            <tbody></tbody>
          </table>
          <p id="empty" class="muted">No agent is connected to this node.</p>
          <p id="truncated" class="muted" hidden>Only the first {AdminSnapshotSource.MaxRows} agents are listed; the totals count all.</p>
          <p id="message" class="muted" role="status"></p>
        </main>
        <script src="/admin/admin.js"></script>
        """, $"<meta name=\"csrf-token\" content=\"{HtmlEncoder.Default.Encode(csrfToken)}\">");

    private static IResult Page(int status, string title, string body, string head = "") => TypedResults.Text($"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{HtmlEncoder.Default.Encode(title)}</title>
        <link rel="stylesheet" href="/admin/admin.css">
        {head}
        </head>
        <body>
        {body}
        </body>
        </html>
        """, "text/html; charset=utf-8", statusCode: status);
}
