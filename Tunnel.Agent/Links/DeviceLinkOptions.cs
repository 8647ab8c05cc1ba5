namespace Tunnel.Agent.Links;

/// <summary>Settings of the <c>link</c> command. Section <c>Agent:Link</c>; environment as <c>Agent__Link__AppUrl</c>.</summary>
internal sealed class DeviceLinkOptions
{
    public const string SectionName = "Agent:Link";

    /// <summary>
    /// The MoosicBox web app's login page, which takes <c>?magicToken=M&amp;apiUrl=…</c> (its <c>/auth</c> route),
    /// e.g. <c>https://music.example.com/auth</c>. Required by the <c>link</c> command; no default, because the
    /// app can be served from anywhere.
    /// </summary>
    public Uri? AppUrl { get; set; }

    /// <summary>
    /// The tunnel server's URL as phones reach it, put in the link as <c>apiUrl</c>. Default <c>Agent:ServerUrl</c>;
    /// set it when the agent reaches the server by another address than the public one.
    /// </summary>
    public Uri? ApiUrl { get; set; }
}
