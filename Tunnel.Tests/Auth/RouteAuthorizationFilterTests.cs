using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Tunnel.Server.Auth;

namespace Tunnel.Tests.Auth;

/// <summary>Authorization is declared once per route group: a route of the group that declares nothing cannot be built.</summary>
public sealed class RouteAuthorizationFilterTests
{
    [Fact]
    public async Task Group_RouteWithoutDeclaration_FailsWhenEndpointsAreBuilt()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();
        var group = app.MapGroup("/auth").RequireDeclaredAuthorization();
        group.MapGet("/declared", () => "ok").Requires(RouteCredential.None, "declared");
        group.MapGet("/forgotten", () => "ok");

        var build = () => ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).ToList();

        build.Should().Throw<InvalidOperationException>().WithMessage("*/auth/forgotten*declares no authorization*");
    }

    [Fact]
    public async Task Group_EveryRouteDeclared_Builds()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();
        var group = app.MapGroup("/auth").RequireDeclaredAuthorization();
        group.MapGet("/open", () => "ok").Requires(RouteCredential.None, "open");
        group.MapPost("/client", () => "ok").Requires(RouteCredential.ClientToken, "client");

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).ToList();

        endpoints.Select(e => e.Metadata.GetMetadata<RouteAuthorization>()?.Route).Should().Equal("open", "client");
    }
}
