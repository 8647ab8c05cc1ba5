namespace Tunnel.Server.Hosting;

/// <summary>
/// The <c>type</c> of problem answers whose status ASP.NET Core has no default link for (it has them for 400, 401,
/// 404, 502, 503, 504, …), so that every problem the tunnel writes names its status' specification.
/// </summary>
internal static class ProblemTypes
{
    public static string? For(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        StatusCodes.Status424FailedDependency => "https://tools.ietf.org/html/rfc4918#section-11.4",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
        _ => null,
    };
}
