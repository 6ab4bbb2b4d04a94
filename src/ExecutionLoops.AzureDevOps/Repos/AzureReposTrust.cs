using System.Text.Json.Nodes;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.AzureDevOps.Repos;

/// <summary>
/// Who is heard on an Azure Repos pull request: the identities the config names (<c>review.trusted</c>), where a group
/// stands for all its members, nested groups included; by default the project's Contributors group. An author is
/// matched by identity descriptor (looked up from the comment's identity id), never by a display name anyone can set.
/// </summary>
internal sealed class AzureReposTrust(AzureReposClient client, IReadOnlyList<string> trusted)
{
    // Groups nest; a bound keeps a cycle or a huge tree from running away.
    private const int MaxDepth = 8;
    private HashSet<string>? _descriptors;
    private readonly Dictionary<string, string?> _authors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the identity with id <paramref name="identityId"/> is one of the trusted identities or in a trusted group.</summary>
    public async Task<bool> IsTrustedAsync(string identityId, CancellationToken cancellationToken)
    {
        _descriptors ??= await ExpandAsync(cancellationToken);
        if (!_authors.TryGetValue(identityId, out var descriptor))
        {
            var found = await client.IdentitiesByIdAsync([identityId], cancellationToken);
            descriptor = found.Count > 0 ? found[0]["descriptor"]?.GetValue<string>() : null;
            _authors[identityId] = descriptor;
        }

        return descriptor is not null && _descriptors.Contains(descriptor);
    }

    /// <summary>The descriptors of every trusted identity: the named ones and, for groups, all their members.</summary>
    private async Task<HashSet<string>> ExpandAsync(CancellationToken cancellationToken)
    {
        var all = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new List<JsonObject>();
        foreach (var name in trusted)
        {
            var found = await client.SearchIdentitiesAsync(name, cancellationToken);
            if (found.Count == 0)
            {
                throw LoopsException.InvalidInput(DiagnosticCodes.AzureDevOpsIdentityUnknown, $"Azure DevOps knows no identity or group '{name}' (review.trusted).", "Name users by their sign-in (alice@contoso.com) and groups as [Project]\\Group in review.trusted in .loops/config.yml.");
            }

            pending.Add(found[0]);
        }

        for (var depth = 0; pending.Count > 0 && depth < MaxDepth; depth++)
        {
            var members = new List<string>();
            foreach (var identity in pending)
            {
                if (identity["descriptor"]?.GetValue<string>() is { } descriptor)
                {
                    all.Add(descriptor);
                }

                members.AddRange((identity["members"] as JsonArray ?? []).Select(m => m?.GetValue<string>()).OfType<string>().Where(m => !all.Contains(m)));
            }

            members = members.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            foreach (var member in members)
            {
                all.Add(member);
            }

            // Members that are groups have members of their own: read them, a batch at a time.
            pending = [];
            foreach (var batch in members.Chunk(50))
            {
                pending.AddRange((await client.IdentitiesByDescriptorAsync(batch, cancellationToken)).Where(i => i["members"] is JsonArray { Count: > 0 }));
            }
        }

        return all;
    }
}
