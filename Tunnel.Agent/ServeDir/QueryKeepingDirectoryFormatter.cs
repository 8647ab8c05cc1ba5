using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Tunnel.Agent.ServeDir;

/// <summary>
/// The <c>--serve-dir</c> folder listing, with every link carrying the request's query. Through the tunnel the listing
/// is <c>/?clientId=home</c>; the framework's listing links <c>./name</c>, which drops <c>clientId</c> and is refused
/// (400) when clicked. Names are percent-encoded in links and HTML-encoded in text.
/// </summary>
internal sealed class QueryKeepingDirectoryFormatter : IDirectoryFormatter
{
    public async Task GenerateContentAsync(HttpContext context, IEnumerable<IFileInfo> contents)
    {
        var query = context.Request.QueryString.Value ?? string.Empty;
        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of {WebUtility.HtmlEncode(path)}</title></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Index of {WebUtility.HtmlEncode(path)}</h1>\n<table>\n");
        if (path != "/")
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"../{WebUtility.HtmlEncode(query)}\">../</a></td><td></td><td></td></tr>\n");
        }

        foreach (var entry in contents.OrderBy(e => !e.IsDirectory).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase))
        {
            var name = entry.IsDirectory ? entry.Name + "/" : entry.Name;
            var href = "./" + Uri.EscapeDataString(entry.Name) + (entry.IsDirectory ? "/" : string.Empty) + query;
            var size = entry.IsDirectory ? string.Empty : entry.Length.ToString("N0", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td><a href=\"{WebUtility.HtmlEncode(href)}\">{WebUtility.HtmlEncode(name)}</a></td><td>{size}</td><td>{entry.LastModified:yyyy-MM-dd HH:mm}</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        var body = Encoding.UTF8.GetBytes(html.ToString());
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
