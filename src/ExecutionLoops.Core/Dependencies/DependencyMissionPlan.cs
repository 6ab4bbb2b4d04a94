using ExecutionLoops.Briefs;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Dependencies;

/// <summary>An update a mission would make but holds back, and why (outside its scope, a protected file).</summary>
/// <param name="Finding">The update.</param>
/// <param name="Reason">Why it is not made.</param>
public sealed record HeldUpdate(DependencyFinding Finding, string Reason);

/// <summary>
/// What one dependencies mission does with a scan: the packages in its slice (its group, or the packages in no
/// group), the updates it writes and those it holds back. <c>delegate</c> and <c>deps scan --mission</c> both
/// use it, so the scan shows exactly what a run would apply.
/// </summary>
/// <param name="MissionId">The mission (a group's is <c>&lt;id&gt;-&lt;group&gt;</c>).</param>
/// <param name="Group">The group, or null for the packages in no group.</param>
/// <param name="Slice">The findings of the packages this mission handles.</param>
/// <param name="Updates">The updates it writes.</param>
/// <param name="Held">The updates it holds back.</param>
public sealed record DependencyMissionPlan(string MissionId, string? Group, IReadOnlyList<DependencyFinding> Slice, IReadOnlyList<DependencyFinding> Updates, IReadOnlyList<HeldUpdate> Held)
{
    /// <summary>The plan of <paramref name="brief"/> (an expanded dependencies mission) for a scan.</summary>
    public static DependencyMissionPlan For(DependencyScanResult scan, MissionBrief brief, LoopsConfig config)
    {
        var policy = brief.SettingsOf<DependencyPolicy>();
        var scope = new ScopeMatcher(brief.Scope);
        var slice = scan.Findings.Where(f => policy.InSlice(f.Dependency.PackageId)).ToList();
        var updates = new List<DependencyFinding>();
        var held = new List<HeldUpdate>();
        foreach (var finding in slice.Where(f => f.Candidate is not null))
        {
            var file = finding.Dependency.Site.File;
            if (!scope.IsInScope(file))
            {
                held.Add(new HeldUpdate(finding, $"{file} is outside the mission scope"));
            }
            else if (ProtectedPaths.Violations([file], brief, config).Count > 0)
            {
                held.Add(new HeldUpdate(finding, $"{file} is protected; name it in scope.include to let this mission change it"));
            }
            else
            {
                updates.Add(finding);
            }
        }

        return new DependencyMissionPlan(brief.Id, policy.Group, slice, updates, held);
    }

    /// <summary>
    /// The missions a dependencies brief stands for, as the catalog expanded them: given the brief's id or one of
    /// its groups' ids, the brief's own mission (packages in no group) and one per group, in that order.
    /// </summary>
    public static IReadOnlyList<MissionBrief> Family(IReadOnlyList<MissionBrief> catalog, MissionBrief named)
    {
        var group = named.SettingsOf<DependencyPolicy>().Group;
        var root = group is null ? named.Id : named.Id[..^(group.Length + 1)];
        return catalog.Where(b => b.Kind == named.Kind && (b.Id == root || (b.SettingsOf<DependencyPolicy>().Group is { } g && b.Id == $"{root}-{g}")))
            .OrderBy(b => b.SettingsOf<DependencyPolicy>().Group is null ? 0 : 1)
            .ToList();
    }
}
