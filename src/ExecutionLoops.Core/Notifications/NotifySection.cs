using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Security;
using YamlDotNet.RepresentationModel;

namespace ExecutionLoops.Notifications;

/// <summary>
/// The <c>notify:</c> key of <c>.loops/config.yml</c> and of a brief (which overrides the config key by key). Not a
/// kind's section: every mission may have one, so the parser and config loader read it by name, and its schema is
/// added to both schemas. A URL or key written here is an error: the repository holds only variable names.
/// </summary>
internal sealed partial class NotifySection : BriefSection<NotifySettings>
{
    internal static readonly string[] Keys = ["on", "stale-after", "timeout", "channels"];
    internal static readonly string[] ChannelKinds = ["slack", "teams", "webhook"];
    internal static readonly string[] ChannelKeys = ["url-env", "key-env", "on"];

    /// <summary>The one instance.</summary>
    public static NotifySection Instance { get; } = new();

    /// <inheritdoc />
    public override string Key => "notify";

    /// <inheritdoc />
    public override string Description => "Who is told about failures, publishes and stale review items: Slack, Microsoft Teams or a signed JSON webhook, each URL read from an environment variable.";

    /// <inheritdoc />
    public override JsonObject Schema()
    {
        using var stream = typeof(NotifySection).Assembly.GetManifestResourceStream("ExecutionLoops.Notifications.notify.schema.json")
            ?? throw new InvalidOperationException("The schema of the 'notify' section is missing from the build.");
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <inheritdoc />
    internal override object Read(YamlNodeReader reader, YamlNode node) => ReadSettings(reader, node, isConfig: false);

    /// <summary>Reads the section; in the config (<paramref name="isConfig"/>) events without a channel are a warning.</summary>
    internal static NotifySettings ReadSettings(YamlNodeReader reader, YamlNode node, bool isConfig)
    {
        if (reader.Mapping(node, "notify") is not { } mapping)
        {
            return NotifySettings.Default;
        }

        var entries = reader.Entries(mapping, Keys, "'notify'");
        var on = entries.TryGetValue("on", out var onEntry) ? Events(reader, onEntry.Value, "notify.on") : null;
        var staleAfter = entries.TryGetValue("stale-after", out var stale) ? reader.Duration(stale.Value, "stale-after") : null;
        var timeout = entries.TryGetValue("timeout", out var timeoutEntry) ? reader.Duration(timeoutEntry.Value, "timeout") : null;
        var channels = entries.TryGetValue("channels", out var channelsEntry) ? Channels(reader, channelsEntry.Value) : null;
        if (isConfig && (on ?? NotifySettings.DefaultEvents).Count > 0 && !entries.ContainsKey("channels"))
        {
            reader.Warning(DiagnosticCodes.NotifyNoChannel, node, "'notify' has no channel, so nobody is told anything.", "Add a channel: notify: {channels: {slack: {url-env: LOOPS_SLACK_WEBHOOK}}}.");
        }

        return new NotifySettings(on, staleAfter, timeout, channels);
    }

    private static List<NotifyEvent>? Events(YamlNodeReader reader, YamlNode node, string key)
    {
        var names = node is YamlScalarNode ? reader.String(node, key) is { } one ? [one] : [] : reader.StringList(node, key);
        var items = node is YamlSequenceNode sequence ? sequence.Children : [node];
        var events = new List<NotifyEvent>();
        for (var i = 0; i < names.Count; i++)
        {
            if (NotifyEventNames.Parse(names[i]) is { } parsed)
            {
                events.Add(parsed);
            }
            else
            {
                reader.Error(DiagnosticCodes.InvalidValue, i < items.Count ? items[i] : node, $"Unknown notification event '{names[i]}' in '{key}'.", Suggest.DidYouMean(names[i], NotifyEventNames.All) ?? (NotifyEventNames.All.FirstOrDefault(e => e.StartsWith(names[i], StringComparison.Ordinal)) is { } longer ? $"Did you mean '{longer}'?" : null) ?? $"Events: {string.Join(", ", NotifyEventNames.All)}.");
            }
        }

        return events;
    }

    private static List<NotifyChannel>? Channels(YamlNodeReader reader, YamlNode node)
    {
        if (reader.Mapping(node, "notify.channels") is not { } mapping)
        {
            return null;
        }

        var channels = new List<NotifyChannel>();
        foreach (var (kindName, (_, value)) in reader.Entries(mapping, ChannelKinds, "'notify.channels'"))
        {
            var kind = Enum.Parse<NotifyChannelKind>(kindName, ignoreCase: true);
            if (value is YamlScalarNode scalar && !YamlNodeReader.IsNull(value))
            {
                UrlInRepository(reader, value, $"notify.channels.{kindName}", scalar.Value ?? "", $"LOOPS_{kindName.ToUpperInvariant()}_WEBHOOK");
                continue;
            }

            if (reader.Mapping(value, $"notify.channels.{kindName}") is not { } channel)
            {
                continue;
            }

            string? urlVariable = null, keyVariable = null;
            List<NotifyEvent>? on = null;
            foreach (var (keyNode, option) in channel.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                switch (key)
                {
                    case "url-env":
                        urlVariable = Variable(reader, option, $"notify.channels.{kindName}.url-env", "LOOPS_" + kindName.ToUpperInvariant() + "_WEBHOOK");
                        break;
                    case "key-env" when kind == NotifyChannelKind.Webhook:
                        keyVariable = Variable(reader, option, "notify.channels.webhook.key-env", "LOOPS_WEBHOOK_SECRET");
                        break;
                    case "on":
                        on = Events(reader, option, $"notify.channels.{kindName}.on");
                        break;
                    case "url" or "key" or "secret" or "token":
                        reader.Error(DiagnosticCodes.NotifySecretInRepository, keyNode, $"'{key}' in notify.channels.{kindName}: a webhook {(key == "url" ? "URL" : "key")} is a credential; anyone who reads the repository could post to the channel.", key == "url" ? $"Keep it in a CI secret and name the variable: url-env: LOOPS_{kindName.ToUpperInvariant()}_WEBHOOK." : "Keep it in a CI secret and name the variable: key-env: LOOPS_WEBHOOK_SECRET.");
                        break;
                    default:
                        var allowed = kind == NotifyChannelKind.Webhook ? ChannelKeys : ChannelKeys.Where(k => k != "key-env").ToArray();
                        reader.Error(DiagnosticCodes.UnknownKey, keyNode, $"Unknown key '{key}' in 'notify.channels.{kindName}'.", Suggest.DidYouMean(key, allowed) ?? $"Allowed keys: {string.Join(", ", allowed)}.");
                        break;
                }
            }

            if (urlVariable is null && !channel.Children.Keys.Any(k => k is YamlScalarNode { Value: "url" or "url-env" }))
            {
                reader.Error(DiagnosticCodes.MissingValue, value, $"The {kindName} channel needs 'url-env': the environment variable that holds its webhook URL.", $"Write it as {kindName}: {{url-env: LOOPS_{kindName.ToUpperInvariant()}_WEBHOOK}}.");
            }

            if (kind == NotifyChannelKind.Webhook && keyVariable is null && !channel.Children.Keys.Any(k => k is YamlScalarNode { Value: "key-env" or "key" or "secret" or "token" }))
            {
                reader.Error(DiagnosticCodes.MissingValue, value, "The webhook channel needs 'key-env': the environment variable that holds the HMAC-SHA256 key the receiver checks signatures with.", "Write it as webhook: {url-env: LOOPS_WEBHOOK_URL_SECRET, key-env: LOOPS_WEBHOOK_SECRET}.");
            }

            if (urlVariable is not null)
            {
                channels.Add(new NotifyChannel(kind, urlVariable, keyVariable, on));
            }
        }

        return channels;
    }

    /// <summary>A variable name: valid, secret-shaped (so it is masked and never reaches a child process), and no URL.</summary>
    private static string? Variable(YamlNodeReader reader, YamlNode node, string key, string example)
    {
        if (reader.String(node, key) is not { } name)
        {
            return null;
        }

        if (UrlInRepository(reader, node, key, name, example))
        {
            return null;
        }

        if (!VariableName().IsMatch(name))
        {
            reader.Error(DiagnosticCodes.NotifyVariableName, node, $"'{name}' in {key} is not an environment variable name.", $"Use letters, digits and underscores, e.g. {example}.");
            return null;
        }

        if (!SecretMasker.IsSecretName(name))
        {
            reader.Error(DiagnosticCodes.NotifyVariableName, node, $"'{name}' in {key} does not look like a secret's name, so loops would not mask its value or keep it from the programs missions run.", $"Name it with WEBHOOK, SECRET, TOKEN or KEY in it, e.g. {example}.");
            return null;
        }

        return name;
    }

    private static bool UrlInRepository(YamlNodeReader reader, YamlNode node, string key, string text, string example)
    {
        if (!text.Contains("://", StringComparison.Ordinal) && !text.StartsWith("hooks.", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        reader.Error(DiagnosticCodes.NotifySecretInRepository, node, $"{key} holds a URL: a webhook URL is a credential, and anyone who reads the repository could post to the channel.", $"Store the URL in a CI secret, pass it as an environment variable, and name that variable here ({example}).");
        return true;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
