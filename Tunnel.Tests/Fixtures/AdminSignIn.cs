using System.Net;
using System.Text.RegularExpressions;

namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Signs in to <c>/admin</c> the way the page's form does, with plain HTTP: the session cookie it got and the
/// anti-forgery token the dashboard carries.
/// </summary>
public sealed partial record AdminSignIn(string Cookie, string SetCookie, string CsrfToken)
{
    /// <summary>A client that neither follows redirects nor keeps cookies: each test sends the cookie it means to.</summary>
    public static HttpClient CreateClient(TunnelServer server) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string token)
    {
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]);
        return await http.PostAsync(new Uri("/admin/sign-in", UriKind.Relative), form);
    }

    public static async Task<AdminSignIn> SignInAsync(HttpClient http, string token = TunnelServer.AdminToken)
    {
        using var response = await PostFormAsync(http, token);
        response.StatusCode.Should().Be(HttpStatusCode.SeeOther, await response.Content.ReadAsStringAsync());
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        var cookie = setCookie.Split(';')[0];

        using var page = new HttpRequestMessage(HttpMethod.Get, "/admin");
        page.Headers.Add("Cookie", cookie);
        using var dashboard = await http.SendAsync(page);
        var html = await dashboard.Content.ReadAsStringAsync();
        dashboard.StatusCode.Should().Be(HttpStatusCode.OK, html);
        var csrf = CsrfMeta().Match(html);
        csrf.Success.Should().BeTrue("the dashboard carries its anti-forgery token: {0}", html);
        return new AdminSignIn(cookie, setCookie, csrf.Groups[1].Value);
    }

    [GeneratedRegex("""<meta name="csrf-token" content="([^"]+)">""")]
    private static partial Regex CsrfMeta();
}
