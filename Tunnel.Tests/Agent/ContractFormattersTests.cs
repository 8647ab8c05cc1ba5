using System.Reflection;
using Tunnel.Agent.HubProtocol;
using Tunnel.Contracts.Hubs;

namespace Tunnel.Tests.Agent;

/// <summary>
/// Every type the hub contract passes — each parameter of <see cref="ITunnelHub"/> and <see cref="ITunnelAgent"/>,
/// each item of a stream — has a formatter in the agent's hub protocol: a method added with a new type fails here,
/// not in the native agent with a binding failure.
/// </summary>
public sealed class ContractFormattersTests
{
    public static TheoryData<string, Type> ContractTypes()
    {
        var data = new TheoryData<string, Type>();
        foreach (var method in typeof(ITunnelHub).GetMethods().Concat(typeof(ITunnelAgent).GetMethods()))
        {
            foreach (var parameter in method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)))
            {
                data.Add($"{method.DeclaringType!.Name}.{method.Name}({parameter.Name})", ItemType(parameter.ParameterType));
            }

            if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
            {
                data.Add($"{method.DeclaringType!.Name}.{method.Name} stream item", ItemType(method.ReturnType));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContractTypes))]
    public void EveryContractType_HasAFormatter(string where, Type type)
    {
        var formatters = new ContractFormatters();

        var act = () => formatters.For(type);

        act.Should().NotThrow(where);
        formatters.For(type).Type.Should().Be(type);
    }

    [Fact]
    public void ATypeOutsideTheContract_HasNone()
    {
        var act = () => new ContractFormatters().For(typeof(DateTime));

        act.Should().Throw<InvalidDataException>();
    }

    private static Type ItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>) ? type.GetGenericArguments()[0] : type;
}
