namespace Tunnel.Server.Auth;

/// <summary>
/// Authorization declared once for a route group: every endpoint of the group declares its
/// <see cref="RouteAuthorization"/> (<see cref="Requires"/>), and this filter checks it before the handler runs:
/// "parse clientId → 400, authorize → 401/429" for client routes, "administration open → 503, admin token →
/// 401/429" for admin routes. An endpoint that declares nothing fails when the endpoints are built, so a new route
/// cannot forget it.
/// </summary>
internal static class RouteAuthorizationFilter
{
    private static readonly object ClientIdKey = new();

    /// <summary>Declares what <paramref name="endpoint"/> requires.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder endpoint, RouteCredential credential, string route)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RouteAuthorization(credential, route));

    /// <summary>Checks every endpoint of <paramref name="group"/> against its declaration.</summary>
    public static RouteGroupBuilder RequireDeclaredAuthorization(this RouteGroupBuilder group)
    {
        // The factory runs once the endpoint's own conventions (its declaration) have been applied.
        ((IEndpointConventionBuilder)group).Add(endpoint =>
            endpoint.FilterFactories.Add((factory, next) => Create(endpoint, next)));
        return group;
    }

    /// <summary>The clientId the filter authorised (client and signature routes only).</summary>
    public static string ClientIdOf(HttpContext context) =>
        context.Items[ClientIdKey] as string ?? throw new InvalidOperationException("This route did not authorise a client.");

    private static EndpointFilterDelegate Create(EndpointBuilder endpoint, EndpointFilterDelegate next)
    {
        var declared = endpoint.Metadata.OfType<RouteAuthorization>().LastOrDefault()
            ?? throw new InvalidOperationException(
                $"Endpoint {endpoint.DisplayName} declares no authorization; add .Requires(RouteCredential..., \"route\").");
        return declared.Credential switch
        {
            RouteCredential.None => next,
            RouteCredential.AdminToken => async invocation =>
            {
                var context = invocation.HttpContext;
                if (!context.RequestServices.GetRequiredService<AdminTokenCheck>().IsConfigured)
                {
                    return AuthProblems.AdministrationClosed();
                }

                var authorizer = context.RequestServices.GetRequiredService<RequestAuthorizer>();
                return await authorizer.AuthorizeAdminAsync(context, declared.Route) is { } refusal
                    ? refusal.ToProblem(context)
                    : await next(invocation);
            },
            _ => async invocation =>
            {
                var context = invocation.HttpContext;
                if (ClientIdRules.FromQuery(context.Request) is not { } clientId)
                {
                    return AuthProblems.BadClientId(context.Request);
                }

                var authorizer = context.RequestServices.GetRequiredService<RequestAuthorizer>();
                var refusal = declared.Credential == RouteCredential.SignatureToken
                    ? await authorizer.AuthorizeSignatureAsync(context, declared.Route, clientId)
                    : await authorizer.AuthorizeClientAsync(context, declared.Route, clientId);
                if (refusal is not null)
                {
                    return refusal.ToProblem(context);
                }

                context.Items[ClientIdKey] = clientId;
                return await next(invocation);
            },
        };
    }
}
