using Microsoft.Extensions.Options;

namespace Tunnel.Agent;

/// <summary>
/// The <see cref="AgentOptions"/> attributes (<c>[Required]</c>, <c>[RegularExpression]</c>, <c>[Range]</c>) checked
/// by code generated at build time: <c>ValidateDataAnnotations()</c> reads them by reflection, which a Native AOT
/// agent cannot rely on. <see cref="AgentOptionsValidator"/> does the checks attributes cannot express.
/// </summary>
[OptionsValidator]
internal sealed partial class AgentOptionsAnnotationsValidator : IValidateOptions<AgentOptions>;
