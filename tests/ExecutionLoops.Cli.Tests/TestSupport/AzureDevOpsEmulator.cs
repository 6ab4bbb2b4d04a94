using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ExecutionLoops.Core.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// An Azure DevOps Services REST emulator (api-version 7.1) on 127.0.0.1 for the calls ExecutionLoops makes, at the
/// real paths with the real JSON field names: Git pull requests (list by searchCriteria, get, create with reviewers,
/// work item refs and draft, update incl. isDraft, status and autoCompleteSetBy), labels, statuses, threads and
/// comments, iterations (one per push, seen from the real bare repository the tests push to), commits (read from that
/// repository), identities with group membership (Contributors holds ana and, through the nested Release Team, octo;
/// member is only a Reader; mallory is in no group) and connection data. Faults (429, 5xx, 403) can be queued per route.
/// </summary>
public sealed class AzureDevOpsEmulator : IAsyncDisposable
{
    public const string Organization = "contoso";
    public const string Project = "Shop Project";
    public const string Repository = "shop";
    public const string BuildServiceId = "6a3c5c1e-0000-4000-8000-00000000b5e1";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly WebApplication _app;
    private readonly string _bareRepository;
    private readonly string _authorization;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<(string Route, int Status, Dictionary<string, string> Headers)> _faults = new();
    private readonly Dictionary<int, List<JsonObject>> _iterations = [];
    private int _next = 1;

    private AzureDevOpsEmulator(WebApplication app, string bareRepository, string authorization)
    {
        _app = app;
        _bareRepository = bareRepository;
        _authorization = authorization;
        var contributors = Group("Contributors", "S-1-9-1551374245-1204400969-2402986413-2179408616-0-0-0-0-1");
        var release = Group("Release Team", "S-1-9-1551374245-1204400969-2402986413-2179408616-0-0-0-0-7");
        var readers = Group("Readers", "S-1-9-1551374245-1204400969-2402986413-2179408616-0-0-0-0-2");
        foreach (var (name, group) in new[] { ("ana", contributors), ("octo", release), ("member", readers), ("mallory", null) })
        {
            var user = User(name);
            Identities.Add(user);
            if (group is not null)
            {
                Member(group, user);
            }
        }

        Member(contributors, release);
        Identities.AddRange([contributors, release, readers]);
    }

    public string BaseUrl => $"{_app.Urls.First()}/{Organization}/";

    public List<JsonObject> Pulls { get; } = [];

    public List<JsonObject> Identities { get; } = [];

    public Dictionary<int, List<JsonObject>> Threads { get; } = [];

    public List<(int PullRequest, JsonObject Status)> Statuses { get; } = [];

    public List<(string Method, string PathAndQuery, string? Authorization)> Requests { get; } = [];

    /// <summary>The next this-many pull-request listings answer empty, as a lagging replica would.</summary>
    public int HiddenListings { get; set; }

    /// <param name="bareRepository">The repository the tests push to, read for refs and commits.</param>
    /// <param name="authorization">The one Authorization header value the emulator accepts.</param>
    public static async Task<AzureDevOpsEmulator> StartAsync(string bareRepository, string authorization)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new AzureDevOpsEmulator(app, bareRepository, authorization);
        emulator.Map(app);
        await app.StartAsync();
        return emulator;
    }

    /// <summary>The next request whose path contains <paramref name="route"/> gets this response instead.</summary>
    public void Fail(string route, int status, Dictionary<string, string>? headers = null) => _faults.Enqueue((route, status, headers ?? []));

    /// <summary>A person starts a comment thread on the pull request (on a line of notes.txt, or in the overview); returns the thread id.</summary>
    public int Comment(int pullRequest, string person, string content, bool onALine = false, string? uniqueName = null)
    {
        lock (_gate)
        {
            var threads = ThreadsOf(pullRequest);
            var id = threads.Count + 1;
            var now = DateTimeOffset.UtcNow.ToString("o");
            var thread = new JsonObject
            {
                ["id"] = id,
                ["publishedDate"] = now,
                ["lastUpdatedDate"] = now,
                ["status"] = "active",
                ["isDeleted"] = false,
                ["threadContext"] = onALine ? new JsonObject { ["filePath"] = "/notes.txt", ["rightFileStart"] = new JsonObject { ["line"] = 1, ["offset"] = 1 }, ["rightFileEnd"] = new JsonObject { ["line"] = 1, ["offset"] = 8 } } : null,
                ["comments"] = new JsonArray(CommentOf(1, 0, Author(person, uniqueName), content)),
                ["properties"] = new JsonObject(),
            };
            threads.Add(thread);
            return id;
        }
    }

    /// <summary>What loops wrote in a thread after its first comment.</summary>
    public IReadOnlyList<string> RepliesIn(int pullRequest, int threadId)
    {
        lock (_gate)
        {
            return ThreadsOf(pullRequest).Where(t => (int)t["id"]! == threadId).SelectMany(t => t["comments"]!.AsArray().Skip(1)).Select(c => (string)c!["content"]!).ToList();
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            var authorization = context.Request.Headers.Authorization.FirstOrDefault();
            lock (_gate)
            {
                Requests.Add((context.Request.Method, path + context.Request.QueryString, authorization));
            }

            if (authorization != _authorization)
            {
                context.Response.StatusCode = 401;
                return;
            }

            // Every versioned resource takes the version it is asked for; connection data is unversioned.
            if (!path.EndsWith("/connectionData", StringComparison.Ordinal) && context.Request.Query["api-version"] != "7.1")
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(Error("VssVersionNotSpecifiedException", "The API version for this request is missing or not 7.1."));
                return;
            }

            if (_faults.TryPeek(out var fault) && path.Contains(fault.Route, StringComparison.OrdinalIgnoreCase) && _faults.TryDequeue(out fault))
            {
                context.Response.StatusCode = fault.Status;
                foreach (var (key, value) in fault.Headers)
                {
                    context.Response.Headers[key] = value;
                }

                await context.Response.WriteAsJsonAsync(fault.Status == 403
                    ? Error("UnauthorizedRequestException", "TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: identity 'Shop Project Build Service (contoso)', scope 'repository'.")
                    : Error("ServiceUnavailableException", "fault"));
                return;
            }

            await next();
        });

        app.MapGet("/{org}/_apis/connectionData", () => Results.Json(new JsonObject
        {
            ["authenticatedUser"] = new JsonObject { ["id"] = BuildServiceId, ["descriptor"] = $"Microsoft.TeamFoundation.ServiceIdentity;{BuildServiceId}:Build:{Guid.Empty}", ["providerDisplayName"] = $"{Project} Build Service ({Organization})", ["isActive"] = true },
            ["authorizedUser"] = new JsonObject { ["id"] = BuildServiceId },
            ["instanceId"] = Guid.NewGuid().ToString(),
            ["locationServiceData"] = new JsonObject(),
        }));

        app.MapGet("/{org}/_apis/identities", (HttpRequest request) =>
        {
            var query = request.Query;
            var direct = query["queryMembership"] == "Direct";
            lock (_gate)
            {
                IEnumerable<JsonObject> found = [];
                if (query["searchFilter"] == "General" && query["filterValue"].FirstOrDefault() is { } filter)
                {
                    found = Identities.Where(i => Names(i).Contains(filter, StringComparer.OrdinalIgnoreCase));
                }
                else if (query["identityIds"].FirstOrDefault() is { } ids)
                {
                    var wanted = ids.Split(',');
                    found = Identities.Where(i => wanted.Contains((string)i["id"]!, StringComparer.OrdinalIgnoreCase));
                }
                else if (query["descriptors"].FirstOrDefault() is { } descriptors)
                {
                    var wanted = descriptors.Split(',');
                    found = Identities.Where(i => wanted.Contains((string)i["descriptor"]!, StringComparer.OrdinalIgnoreCase));
                }

                var value = found.Select(i =>
                {
                    var copy = i.DeepClone().AsObject();
                    if (!direct)
                    {
                        copy["members"] = new JsonArray();
                        copy["memberOf"] = new JsonArray();
                    }

                    return (JsonNode)copy;
                }).ToArray();
                return Results.Json(new JsonObject { ["count"] = value.Length, ["value"] = new JsonArray(value) });
            }
        });

        const string repo = "/{org}/{project}/_apis/git/repositories/{repository}";
        app.MapGet(repo + "/pullrequests", (HttpRequest request) =>
        {
            var source = request.Query["searchCriteria.sourceRefName"].FirstOrDefault();
            var status = request.Query["searchCriteria.status"].FirstOrDefault() ?? "active";
            lock (_gate)
            {
                if (HiddenListings > 0)
                {
                    HiddenListings--;
                    return Results.Json(new JsonObject { ["value"] = new JsonArray(), ["count"] = 0 });
                }

                var value = Pulls.Where(p => (string?)p["status"] == status && (source is null || (string?)p["sourceRefName"] == source)).Select(p =>
                {
                    // Listings cut descriptions to 400 characters, as the service does.
                    var copy = Sync(p).DeepClone().AsObject();
                    var description = (string?)copy["description"] ?? "";
                    copy["description"] = description.Length > 400 ? description[..400] : description;
                    return (JsonNode)copy;
                }).ToArray();
                return Results.Json(new JsonObject { ["value"] = new JsonArray(value), ["count"] = value.Length });
            }
        });
        app.MapPost(repo + "/pullrequests", async (string repository, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var source = (string)body["sourceRefName"]!;
                var target = (string)body["targetRefName"]!;
                if (Head(source) is null || Head(target) is null)
                {
                    return Results.Json(Error("GitPullRequestCannotBeActivated", "TF401398: The pull request cannot be activated because the source and/or the target branch no longer exists, or the requested refs are not branches."), statusCode: 400);
                }

                if (Pulls.Any(p => (string?)p["status"] == "active" && (string?)p["sourceRefName"] == source && (string?)p["targetRefName"] == target))
                {
                    return Results.Json(Error("GitPullRequestExistsException", "TF401179: An active pull request for the source and target branch already exists."), statusCode: 409);
                }

                if (((string?)body["description"] ?? "").Length > 4000)
                {
                    return Results.Json(Error("InvalidArgumentValueException", "The description is longer than 4000 characters."), statusCode: 400);
                }

                var id = _next++;
                var reviewers = (body["reviewers"] as JsonArray ?? []).Select(r => (JsonNode)new JsonObject
                {
                    ["id"] = (string)r!["id"]!,
                    ["isRequired"] = (bool?)r["isRequired"] ?? false,
                    ["vote"] = 0,
                    ["displayName"] = (string?)Identities.FirstOrDefault(i => (string)i["id"]! == (string)r["id"]!)?["providerDisplayName"],
                }).ToArray();
                var pull = new JsonObject
                {
                    ["pullRequestId"] = id,
                    ["codeReviewId"] = id,
                    ["status"] = "active",
                    ["isDraft"] = (bool?)body["isDraft"] ?? false,
                    ["title"] = (string?)body["title"],
                    ["description"] = (string?)body["description"],
                    ["sourceRefName"] = source,
                    ["targetRefName"] = target,
                    ["mergeStatus"] = "queued",
                    ["creationDate"] = DateTimeOffset.UtcNow.ToString("o"),
                    ["createdBy"] = new JsonObject { ["id"] = BuildServiceId, ["displayName"] = $"{Project} Build Service ({Organization})" },
                    ["repository"] = new JsonObject { ["id"] = "3411ebc1-d5aa-464f-9615-0b527bc66719", ["name"] = Repository, ["project"] = new JsonObject { ["name"] = Project } },
                    ["reviewers"] = new JsonArray(reviewers),
                    ["labels"] = new JsonArray(),
                    ["workItemRefs"] = new JsonArray((body["workItemRefs"] as JsonArray ?? []).Select(w => (JsonNode)new JsonObject { ["id"] = (string)w!["id"]!, ["url"] = $"{BaseUrl}_apis/wit/workItems/{(string)w["id"]!}" }).ToArray()),
                    ["url"] = $"{BaseUrl}{Uri.EscapeDataString(Project)}/_apis/git/repositories/{repository}/pullRequests/{id}",
                };
                Pulls.Add(pull);
                return Results.Json(Sync(pull), statusCode: 201);
            }
        });
        app.MapGet(repo + "/pullrequests/{id:int}", (int id) =>
        {
            lock (_gate)
            {
                return Pull(id) is { } pull ? Results.Json(Sync(pull)) : NotFound();
            }
        });
        app.MapMethods(repo + "/pullrequests/{id:int}", ["PATCH"], async (int id, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                if (Pull(id) is not { } pull)
                {
                    return NotFound();
                }

                if (((string?)body["description"] ?? "").Length > 4000)
                {
                    return Results.Json(Error("InvalidArgumentValueException", "The description is longer than 4000 characters."), statusCode: 400);
                }

                foreach (var key in new[] { "title", "description", "status" })
                {
                    if (body[key] is { } value)
                    {
                        pull[key] = value.GetValue<string>();
                    }
                }

                if (body["isDraft"] is { } draft)
                {
                    pull["isDraft"] = draft.GetValue<bool>();
                }

                if (body["autoCompleteSetBy"]?["id"] is { } setBy)
                {
                    pull["autoCompleteSetBy"] = (string)setBy! == Guid.Empty.ToString() ? null : new JsonObject { ["id"] = (string)setBy! };
                }

                if (body["completionOptions"] is { } options)
                {
                    pull["completionOptions"] = options.DeepClone();
                }

                return Results.Json(Sync(pull));
            }
        });
        app.MapGet(repo + "/pullRequests/{id:int}/labels", (int id) =>
        {
            lock (_gate)
            {
                var labels = Pull(id)?["labels"]?.DeepClone().AsArray() ?? [];
                return Results.Json(new JsonObject { ["count"] = labels.Count, ["value"] = labels });
            }
        });
        app.MapPost(repo + "/pullRequests/{id:int}/labels", async (int id, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var label = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = (string)body["name"]!, ["active"] = true };
                Pull(id)!["labels"]!.AsArray().Add(label);
                return Results.Json(label.DeepClone());
            }
        });
        app.MapPost(repo + "/pullRequests/{id:int}/statuses", async (int id, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            if (body["context"]?["name"] is null)
            {
                return Results.Json(Error("InvalidArgumentValueException", "The status context name is required."), statusCode: 400);
            }

            lock (_gate)
            {
                body["id"] = Statuses.Count + 1;
                Statuses.Add((id, body));
                return Results.Json(body.DeepClone());
            }
        });
        app.MapGet(repo + "/pullRequests/{id:int}/threads", (int id) =>
        {
            lock (_gate)
            {
                var threads = new JsonArray(ThreadsOf(id).Select(t => t.DeepClone()).ToArray());
                return Results.Json(new JsonObject { ["count"] = threads.Count, ["value"] = threads });
            }
        });
        app.MapPost(repo + "/pullRequests/{id:int}/threads", async (int id, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var threads = ThreadsOf(id);
                var now = DateTimeOffset.UtcNow.ToString("o");
                var comments = (body["comments"] as JsonArray ?? []).Select((c, n) => (JsonNode)CommentOf(n + 1, (int?)c!["parentCommentId"] ?? 0, BuildService(), (string)c["content"]!)).ToArray();
                var thread = new JsonObject { ["id"] = threads.Count + 1, ["publishedDate"] = now, ["lastUpdatedDate"] = now, ["status"] = (string?)body["status"] ?? "active", ["isDeleted"] = false, ["comments"] = new JsonArray(comments), ["properties"] = new JsonObject() };
                threads.Add(thread);
                return Results.Json(thread.DeepClone());
            }
        });
        app.MapPost(repo + "/pullRequests/{id:int}/threads/{thread:int}/comments", async (int id, int thread, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                if (ThreadsOf(id).FirstOrDefault(t => (int)t["id"]! == thread) is not { } found)
                {
                    return NotFound();
                }

                var comments = found["comments"]!.AsArray();
                var comment = CommentOf(comments.Count + 1, (int?)body["parentCommentId"] ?? 0, BuildService(), (string)body["content"]!);
                comments.Add(comment);
                return Results.Json(comment.DeepClone());
            }
        });
        app.MapGet(repo + "/pullRequests/{id:int}/iterations", (int id) =>
        {
            lock (_gate)
            {
                if (Pull(id) is not { } pull)
                {
                    return NotFound();
                }

                Sync(pull);
                var iterations = new JsonArray(_iterations[id].Select(i => i.DeepClone()).ToArray());
                return Results.Json(new JsonObject { ["count"] = iterations.Count, ["value"] = iterations });
            }
        });
        app.MapGet(repo + "/commits/{commitId}", (string commitId) =>
        {
            try
            {
                var message = TempGitRepo.RunGit(_bareRepository, "log", "-1", "--format=%B", commitId);
                var date = TempGitRepo.RunGit(_bareRepository, "log", "-1", "--format=%cI", commitId).Trim();
                return Results.Json(new JsonObject
                {
                    ["commitId"] = commitId,
                    ["comment"] = message,
                    ["author"] = new JsonObject { ["name"] = "loops", ["email"] = "loops@localhost", ["date"] = date },
                    ["committer"] = new JsonObject { ["name"] = "loops", ["email"] = "loops@localhost", ["date"] = date },
                });
            }
            catch (InvalidOperationException)
            {
                return Results.Json(Error("GitObjectNotFoundException", $"TF401174: The item '{commitId}' could not be found in the repository."), statusCode: 404);
            }
        });
    }

    /// <summary>The branch head now; a push since the last iteration makes a new one (the service does it on push).</summary>
    private JsonObject Sync(JsonObject pull)
    {
        var id = (int)pull["pullRequestId"]!;
        var head = Head((string)pull["sourceRefName"]!) ?? "";
        if (!_iterations.TryGetValue(id, out var iterations))
        {
            _iterations[id] = iterations = [];
        }

        if (iterations.Count == 0 || (string?)iterations[^1]["sourceRefCommit"]!["commitId"] != head)
        {
            var now = DateTimeOffset.UtcNow.ToString("o");
            iterations.Add(new JsonObject { ["id"] = iterations.Count + 1, ["createdDate"] = now, ["updatedDate"] = now, ["reason"] = iterations.Count == 0 ? "create" : "push", ["sourceRefCommit"] = new JsonObject { ["commitId"] = head } });
        }

        pull["lastMergeSourceCommit"] = new JsonObject { ["commitId"] = head };
        return pull;
    }

    private string? Head(string refName)
    {
        try
        {
            return TempGitRepo.RunGit(_bareRepository, "rev-parse", "--verify", "--quiet", refName).Trim();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private JsonObject? Pull(int id) => Pulls.FirstOrDefault(p => (int)p["pullRequestId"]! == id);

    private List<JsonObject> ThreadsOf(int id) => Threads.TryGetValue(id, out var threads) ? threads : Threads[id] = [];

    private static IResult NotFound() => Results.Json(Error("GitPullRequestNotFoundException", "TF401180: The requested pull request was not found."), statusCode: 404);

    private static JsonObject Error(string typeKey, string message) => new() { ["$id"] = "1", ["innerException"] = null, ["message"] = message, ["typeName"] = $"Microsoft.TeamFoundation.{typeKey}, Microsoft.TeamFoundation.Framework.Server", ["typeKey"] = typeKey, ["errorCode"] = 0, ["eventId"] = 3000 };

    private static JsonObject CommentOf(int id, int parent, JsonObject author, string content)
    {
        var now = DateTimeOffset.UtcNow.ToString("o");
        return new JsonObject { ["id"] = id, ["parentCommentId"] = parent, ["author"] = author, ["content"] = content, ["publishedDate"] = now, ["lastUpdatedDate"] = now, ["lastContentUpdatedDate"] = now, ["commentType"] = "text", ["usersLiked"] = new JsonArray() };
    }

    private JsonObject Author(string person, string? uniqueName)
    {
        var identity = Identities.Single(i => (string)i["properties"]!["Account"]!["$value"]! == $"{person}@contoso.com");
        return new JsonObject { ["displayName"] = (string)identity["providerDisplayName"]!, ["id"] = (string)identity["id"]!, ["uniqueName"] = uniqueName ?? $"{person}@contoso.com", ["descriptor"] = (string)identity["subjectDescriptor"]! };
    }

    private static JsonObject BuildService() => new() { ["displayName"] = $"{Project} Build Service ({Organization})", ["id"] = BuildServiceId, ["uniqueName"] = $"Build\\{BuildServiceId}" };

    private static IEnumerable<string> Names(JsonObject identity) =>
        new[] { (string?)identity["providerDisplayName"], (string?)identity["properties"]?["Account"]?["$value"], (string?)identity["properties"]?["Mail"]?["$value"] }.OfType<string>();

    private static JsonObject User(string name) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["descriptor"] = $"Microsoft.IdentityModel.Claims.ClaimsIdentity;{Tenant}\\{name}@contoso.com",
        ["subjectDescriptor"] = $"aad.{Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=')}",
        ["providerDisplayName"] = char.ToUpperInvariant(name[0]) + name[1..],
        ["isActive"] = true,
        ["members"] = new JsonArray(),
        ["memberOf"] = new JsonArray(),
        ["memberIds"] = new JsonArray(),
        ["properties"] = new JsonObject
        {
            ["SchemaClassName"] = new JsonObject { ["$type"] = "System.String", ["$value"] = "User" },
            ["Account"] = new JsonObject { ["$type"] = "System.String", ["$value"] = $"{name}@contoso.com" },
            ["Mail"] = new JsonObject { ["$type"] = "System.String", ["$value"] = $"{name}@contoso.com" },
        },
        ["resourceVersion"] = 2,
        ["metaTypeId"] = 0,
    };

    private static JsonObject Group(string name, string sid) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["descriptor"] = $"Microsoft.TeamFoundation.Identity;{sid}",
        ["subjectDescriptor"] = $"vssgp.{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(sid)).TrimEnd('=')}",
        ["providerDisplayName"] = $"[{Project}]\\{name}",
        ["isActive"] = true,
        ["members"] = new JsonArray(),
        ["memberOf"] = new JsonArray(),
        ["memberIds"] = new JsonArray(),
        ["properties"] = new JsonObject
        {
            ["SchemaClassName"] = new JsonObject { ["$type"] = "System.String", ["$value"] = "Group" },
            ["Account"] = new JsonObject { ["$type"] = "System.String", ["$value"] = $"[{Project}]\\{name}" },
        },
        ["resourceVersion"] = 2,
        ["metaTypeId"] = 255,
    };

    private static void Member(JsonObject group, JsonObject member)
    {
        group["members"]!.AsArray().Add((string)member["descriptor"]!);
        group["memberIds"]!.AsArray().Add((string)member["id"]!);
        member["memberOf"]!.AsArray().Add((string)group["descriptor"]!);
    }
}
