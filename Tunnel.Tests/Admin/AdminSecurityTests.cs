using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Tunnel.Server.Admin;
using Tunnel.Tests.Fixtures;

namespace Tunnel.Tests.Admin;

/// <summary>The admin page's cookie, anti-forgery check, CORS and closed state, with plain HTTP (no browser).</summary>
public sealed class AdminSecurityTests
{
    [Fact]
    public async Task SignIn_RightToken_SetsHttpOnlyStrictSessionCookieWithoutTheToken()
    {
        await using var server = await TunnelServer.StartAsync();
        using var http = AdminSignIn.CreateClient(server);

        var signIn = await AdminSignIn.SignInAsync(http);

        var attributes = signIn.SetCookie.ToLowerInvariant();
        attributes.Should().Contain("httponly").And.Contain("samesite=strict").And.Contain("path=/admin");
        attributes.Should().NotContain("secure", "the test server speaks plain HTTP; Secure is set on HTTPS");
        signIn.Cookie.Should().StartWith("tunnel_admin=").And.NotContain(TunnelServer.AdminToken);
        signIn.CsrfToken.Should().HaveLength(43);
    }

    [Fact]
    public async Task SignIn_WrongToken_Refused401AndChargedToTheFailedAuthLimiter()
    {
        await using var server = await TunnelServer.StartAsync(new ServerSettings { Extra = { ["Tunnel:Auth:FailedAttemptsPerMinute"] = "2" } });
        using var http = AdminSignIn.CreateClient(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await AdminSignIn.PostFormAsync(http, "wrong-admin-token-0000000000");
            response.Headers.Contains("Set-Cookie").Should().BeFalse();
            statuses.Add(response.StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
        // The limit holds for the right token too while the address is over it.
        using var right = await AdminSignIn.PostFormAsync(http, TunnelServer.AdminToken);
        right.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        right.Headers.RetryAfter.Should().NotBeNull();
    }

    [Fact]
    public async Task Revoke_CookieWithoutCsrfToken_Refused403AndAgentStays()
    {
        await using var stack = await TunnelStack.StartAsync();
        using var http = AdminSignIn.CreateClient(stack.Server);
        var signIn = await AdminSignIn.SignInAsync(http);

        // A cross-site form post: the cookie (as a browser without SameSite would send it), no anti-forgery header.
        using var forged = Revoke(stack.ClientId, signIn.Cookie, csrf: null);
        forged.Headers.Add("Origin", "https://evil.example");
        forged.Content = new FormUrlEncodedContent([]);
        using var forgedResponse = await http.SendAsync(forged);
        forgedResponse.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var wrong = await http.SendAsync(Revoke(stack.ClientId, signIn.Cookie, csrf: "not-the-token-of-this-session-000000000000"));
        wrong.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var noCookie = await http.SendAsync(Revoke(stack.ClientId, cookie: null, csrf: signIn.CsrfToken));
        noCookie.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        stack.IsAgentConnected.Should().BeTrue();
        using var client = stack.CreateClient();
        (await client.GetAsync(new Uri(stack.Url("/json"), UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

        // The same request with the page's token does revoke: the refusals above were the check, not a broken route.
        using var allowed = await http.SendAsync(Revoke(stack.ClientId, signIn.Cookie, signIn.CsrfToken));
        allowed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Eventually.HoldsAsync(() => !stack.IsAgentConnected, TimeSpan.FromSeconds(10))).Should().BeTrue();
        stack.Server.Logs.GetSnapshot().Should().Contain(r => r.Id.Name == "AdminForgeryRefused");
    }

    [Fact]
    public async Task AdminRoutes_OtherOrigin_GetNoCorsGrant()
    {
        await using var server = await TunnelServer.StartAsync();
        using var http = AdminSignIn.CreateClient(server);
        var signIn = await AdminSignIn.SignInAsync(http);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/admin");
        page.Headers.Add("Cookie", signIn.Cookie);
        page.Headers.Add("Origin", "https://evil.example");
        using var pageResponse = await http.SendAsync(page);
        pageResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        pageResponse.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        pageResponse.Headers.Contains("Content-Security-Policy").Should().BeTrue();
        pageResponse.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/admin/clients/home-1/revoke");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-csrf-token");
        using var preflightResponse = await http.SendAsync(preflight);
        preflightResponse.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        preflightResponse.Headers.Contains("Access-Control-Allow-Headers").Should().BeFalse();
    }

    [Fact]
    public async Task SignOut_WithCsrfToken_EndsTheSession()
    {
        await using var server = await TunnelServer.StartAsync();
        using var http = AdminSignIn.CreateClient(server);
        var signIn = await AdminSignIn.SignInAsync(http);

        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/admin/sign-out");
        signOut.Headers.Add("Cookie", signIn.Cookie);
        signOut.Headers.Add("X-CSRF-Token", signIn.CsrfToken);
        using var signedOut = await http.SendAsync(signOut);
        signedOut.StatusCode.Should().Be(HttpStatusCode.NoContent);

        using var events = new HttpRequestMessage(HttpMethod.Get, "/admin/events");
        events.Headers.Add("Cookie", signIn.Cookie);
        (await http.SendAsync(events)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/admin");
        page.Headers.Add("Cookie", signIn.Cookie);
        (await (await http.SendAsync(page)).Content.ReadAsStringAsync()).Should().Contain("id=\"sign-in\"").And.NotContain("csrf-token");
    }

    [Fact]
    public async Task Session_AfterEightHours_Ends()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TunnelServer.StartAsync(new ServerSettings
        {
            ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton(new AdminSessions(clock))),
        });
        using var http = AdminSignIn.CreateClient(server);
        var signIn = await AdminSignIn.SignInAsync(http);

        clock.Advance(AdminSessions.Lifetime - TimeSpan.FromSeconds(1));
        (await SendEventsHeadAsync(http, signIn.Cookie)).Should().Be(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await SendEventsHeadAsync(http, signIn.Cookie)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Events_NotSignedIn_Refused401()
    {
        await using var server = await TunnelServer.StartAsync();
        using var http = AdminSignIn.CreateClient(server);

        using var response = await http.GetAsync(new Uri("/admin/events", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task AdminPage_AdminTokenUnset_Answers503Disabled()
    {
        await using var server = await TunnelServer.StartAsync(new ServerSettings { Extra = { ["Tunnel:AdminToken"] = "" } });
        using var http = AdminSignIn.CreateClient(server);

        using var page = await http.GetAsync(new Uri("/admin", UriKind.Relative));
        page.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await page.Content.ReadAsStringAsync()).Should().Contain("disabled").And.Contain("Tunnel:AdminToken");

        using var signIn = await AdminSignIn.PostFormAsync(http, TunnelServer.AdminToken);
        signIn.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        signIn.Headers.Contains("Set-Cookie").Should().BeFalse();
    }

    /// <summary>The status of <c>GET /admin/events</c>, read from its head (the stream itself stays open).</summary>
    private static async Task<HttpStatusCode> SendEventsHeadAsync(HttpClient http, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/events");
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        }

        return response.StatusCode;
    }

    private static HttpRequestMessage Revoke(string clientId, string? cookie, string? csrf)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/clients/{clientId}/revoke");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }

        return request;
    }
}
