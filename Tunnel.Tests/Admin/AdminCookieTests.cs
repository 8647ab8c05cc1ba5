using Microsoft.AspNetCore.Http;
using Tunnel.Server.Admin;

namespace Tunnel.Tests.Admin;

/// <summary>The session cookie's attributes on HTTPS, where the end-to-end tests (plain HTTP) cannot see Secure.</summary>
public sealed class AdminCookieTests
{
    [Theory]
    [InlineData("https", true)]
    [InlineData("http", false)]
    public void Set_Scheme_SecureExactlyOnHttps(string scheme, bool secure)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;

        AdminCookie.Set(context, "session-id-0123456789abcdef");

        var header = context.Response.Headers.SetCookie.ToString().ToLowerInvariant();
        header.Should().StartWith("tunnel_admin=session-id-0123456789abcdef;")
            .And.Contain("httponly").And.Contain("samesite=strict").And.Contain("path=/admin");
        header.Contains("secure", StringComparison.Ordinal).Should().Be(secure);
    }
}
