using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExecutionLoops.Core.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// A GitHub REST API emulator (GHES-style /api/v3) on 127.0.0.1 for the calls ExecutionLoops makes: pull
/// requests, labels, review requests, statuses, comments and git commits (read from the real bare repository
/// the tests push to), and the GraphQL draft/ready mutations. Faults (rate limits, 5xx, 403) can be queued per
/// route, and a request can be held until the client aborts it.
/// </summary>
public sealed class GitHubEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _bareRepository;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<(string Route, int Status, Dictionary<string, string> Headers)> _faults = new();
    private readonly ConcurrentQueue<string> _hangs = new();
    private int _next = 1;
    private int _aborted;

    private GitHubEmulator(WebApplication app, string bareRepository)
    {
        _app = app;
        _bareRepository = bareRepository;
    }

    public List<JsonObject> Pulls { get; } = [];

    public List<(string Sha, string State, string Context, string Description)> Statuses { get; } = [];

    public List<(int Number, string Body)> Comments { get; } = [];

    /// <summary>Comments the test seeds as if people wrote them: issue comments and inline review comments.</summary>
    public List<JsonObject> IssueComments { get; } = [];

    public List<JsonObject> ReviewComments { get; } = [];

    public List<(int Number, long InReplyTo, string Body)> Replies { get; } = [];

    /// <summary>Adds a comment as if a person wrote it; returns its id.</summary>
    public long Comment(int number, string login, string association, string body, bool inline = false)
    {
        lock (_gate)
        {
            var id = 1000 + IssueComments.Count + ReviewComments.Count;
            var comment = new JsonObject
            {
                ["id"] = id,
                ["pull_number"] = number,
                ["body"] = body,
                ["user"] = new JsonObject { ["login"] = login },
                ["author_association"] = association,
                ["created_at"] = DateTimeOffset.UtcNow.ToString("o"),
                ["updated_at"] = DateTimeOffset.UtcNow.ToString("o"),
            };
            (inline ? ReviewComments : IssueComments).Add(comment);
            return id;
        }
    }

    /// <summary>Makes a pull request look as if its head branch lived in a fork.</summary>
    public void MarkFork(int number)
    {
        lock (_gate)
        {
            Pulls.Single(p => (int)p["number"]! == number)["head"]!["repo"] = new JsonObject { ["full_name"] = "stranger/shop" };
        }
    }

    public List<(string Method, string Path, string? Authorization)> Requests { get; } = [];

    /// <summary>Issues (not pull requests), as GitHub's REST API shows them.</summary>
    public List<JsonObject> Issues { get; } = [];

    /// <summary>Every edit of an issue body, oldest first: who, when, the new body (what GraphQL's userContentEdits reports).</summary>
    public List<(int Number, string Editor, DateTimeOffset At, string Body)> IssueEdits { get; } = [];

    /// <summary>Each user's permission on the repository (admin, maintain, write, triage, read); anyone else has none.</summary>
    public Dictionary<string, string> Permissions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The user the token belongs to: the author of what loops writes.</summary>
    public const string TokenUser = "loops-bot";

    /// <summary>Edits an issue's body as a person would in the browser (ticking a box); the edit is in the history.</summary>
    public void EditIssue(int number, string login, Func<string, string> edit)
    {
        lock (_gate)
        {
            var issue = Issues.Single(i => (int)i["number"]! == number);
            var body = edit((string)issue["body"]!);
            issue["body"] = body;
            IssueEdits.Add((number, login, DateTimeOffset.UtcNow, body));
        }
    }

    public string BaseUrl => _app.Urls.First() + "/";

    public static async Task<GitHubEmulator> StartAsync(string bareRepository)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new GitHubEmulator(app, bareRepository);
        emulator.Map(app);
        await app.StartAsync();
        return emulator;
    }

    /// <summary>The next this-many pull-request listings answer empty, as a lagging replica would.</summary>
    public int HiddenListings { get; set; }

    /// <summary>The next request whose path contains <paramref name="route"/> gets this response instead.</summary>
    public void Fail(string route, int status, Dictionary<string, string>? headers = null) => _faults.Enqueue((route, status, headers ?? []));

    /// <summary>The next request whose path contains <paramref name="route"/> never gets an answer: it waits until the client aborts it.</summary>
    public void Hang(string route) => _hangs.Enqueue(route);

    /// <summary>How many hanging requests the client aborted.</summary>
    public int AbortedRequests => Volatile.Read(ref _aborted);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            lock (_gate)
            {
                Requests.Add((context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.FirstOrDefault()));
            }

            if (_hangs.TryPeek(out var hang) && (context.Request.Path.Value ?? "").Contains(hang, StringComparison.Ordinal) && _hangs.TryDequeue(out _))
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _aborted);
                }

                return;
            }

            if (_faults.TryPeek(out var fault) && (context.Request.Path.Value ?? "").Contains(fault.Route, StringComparison.Ordinal) && _faults.TryDequeue(out fault))
            {
                context.Response.StatusCode = fault.Status;
                foreach (var (key, value) in fault.Headers)
                {
                    context.Response.Headers[key] = value;
                }

                await context.Response.WriteAsJsonAsync(new { message = fault.Status == 403 ? "Resource not accessible by integration" : "fault" });
                return;
            }

            await next();
        });

        const string repo = "/api/v3/repos/{owner}/{name}";
        app.MapGet(repo + "/pulls", (string owner, string? head, string? state) =>
        {
            lock (_gate)
            {
                var branch = head?.Split(':').Last();
                if (HiddenListings > 0)
                {
                    HiddenListings--;
                    return Results.Json(Array.Empty<object>());
                }

                return Results.Json(Pulls.Where(p => (string?)p["state"] == (state ?? "open") && (branch is null || (string?)p["head"]!["ref"] == branch)).ToList());
            }
        });
        app.MapPost(repo + "/pulls", async (string owner, string name, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var headRef = (string)body["head"]!;
                if (Pulls.Any(p => (string?)p["state"] == "open" && (string?)p["head"]!["ref"] == headRef))
                {
                    return Results.Json(new { message = "Validation Failed", errors = new[] { new { resource = "PullRequest", code = "custom", message = $"A pull request already exists for {owner}:{headRef}." } } }, statusCode: 422);
                }

                var number = _next++;
                var pull = new JsonObject
                {
                    ["id"] = number,
                    ["node_id"] = $"PR_{number}",
                    ["number"] = number,
                    ["state"] = "open",
                    ["title"] = (string?)body["title"],
                    ["body"] = (string?)body["body"],
                    ["draft"] = (bool?)body["draft"] ?? false,
                    ["html_url"] = $"{BaseUrl}{owner}/{name}/pull/{number}",
                    ["head"] = new JsonObject { ["ref"] = headRef, ["sha"] = Sha(headRef), ["label"] = $"{owner}:{headRef}", ["repo"] = new JsonObject { ["full_name"] = $"{owner}/{name}" } },
                    ["base"] = new JsonObject { ["ref"] = (string?)body["base"], ["label"] = $"{owner}:{(string?)body["base"]}", ["repo"] = new JsonObject { ["full_name"] = $"{owner}/{name}" } },
                    ["labels"] = new JsonArray(),
                    ["requested_reviewers"] = new JsonArray(),
                };
                Pulls.Add(pull);
                return Results.Json(pull, statusCode: 201);
            }
        });
        app.MapGet(repo + "/pulls/{number:int}", (int number) =>
        {
            lock (_gate)
            {
                var pull = Pulls.Single(p => (int)p["number"]! == number);
                pull["head"]!["sha"] = Sha((string)pull["head"]!["ref"]!);
                return Results.Json(pull);
            }
        });
        app.MapGet(repo + "/issues/{number:int}/comments", (int number) =>
        {
            lock (_gate)
            {
                return Results.Json(IssueComments.Where(c => (int)c["pull_number"]! == number).ToList());
            }
        });
        app.MapGet(repo + "/pulls/{number:int}/comments", (int number) =>
        {
            lock (_gate)
            {
                return Results.Json(ReviewComments.Where(c => (int)c["pull_number"]! == number).ToList());
            }
        });
        app.MapPost(repo + "/issues/{number:int}/assignees", async (int number, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var pull = Pulls.Single(p => (int)p["number"]! == number);
                pull["assignees"] = new JsonArray(body["assignees"]!.AsArray().Select(a => (JsonNode)new JsonObject { ["login"] = (string)a! }).ToArray());
                return Results.Json(pull, statusCode: 201);
            }
        });
        app.MapGet(repo + "/milestones", () => Results.Json(new[] { new { id = 7, number = 3, title = "v1.2", state = "open" } }));
        app.MapMethods(repo + "/issues/{number:int}", ["PATCH"], async (int number, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                // Issues and pull requests share numbers and this route, as on GitHub.
                if (Issues.FirstOrDefault(i => (int)i["number"]! == number) is { } issue)
                {
                    if (body["body"] is { } text)
                    {
                        issue["body"] = (string?)text;
                        IssueEdits.Add((number, TokenUser, DateTimeOffset.UtcNow, (string?)text ?? ""));
                    }

                    return Results.Json(issue);
                }

                var pull = Pulls.Single(p => (int)p["number"]! == number);
                if (body["milestone"] is { } milestone)
                {
                    pull["milestone"] = new JsonObject { ["number"] = milestone.GetValue<int>(), ["title"] = "v1.2" };
                }

                return Results.Json(pull);
            }
        });
        app.MapGet(repo + "/pulls/{number:int}/reviews", () => Results.Json(Array.Empty<object>()));
        app.MapPost(repo + "/pulls/{number:int}/comments", async (int number, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                Replies.Add((number, (long)body["in_reply_to"]!, (string)body["body"]!));
                return Results.Json(new { id = 5000 + Replies.Count, body = (string)body["body"]!, in_reply_to_id = (long)body["in_reply_to"]! }, statusCode: 201);
            }
        });
        app.MapMethods(repo + "/pulls/{number:int}", ["PATCH"], async (int number, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var pull = Pulls.Single(p => (int)p["number"]! == number);
                foreach (var key in new[] { "title", "body", "state" })
                {
                    if (body[key] is { } value)
                    {
                        pull[key] = value.GetValue<string>();
                    }
                }

                pull["head"]!["sha"] = Sha((string)pull["head"]!["ref"]!);
                return Results.Json(pull);
            }
        });
        app.MapPut(repo + "/issues/{number:int}/labels", async (int number, HttpRequest request) =>
        {
            var names = (await JsonNode.ParseAsync(request.Body)) switch
            {
                JsonArray array => array.Select(n => (string)n!).ToList(),
                JsonObject o => o["labels"]!.AsArray().Select(n => (string)n!).ToList(),
                _ => [],
            };
            lock (_gate)
            {
                var labels = new JsonArray(names.Select((n, i) => (JsonNode)new JsonObject { ["id"] = i + 1, ["name"] = n, ["color"] = "ededed" }).ToArray());
                Pulls.Single(p => (int)p["number"]! == number)["labels"] = labels;
                return Results.Json(labels.DeepClone());
            }
        });
        app.MapPost(repo + "/pulls/{number:int}/requested_reviewers", async (int number, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var pull = Pulls.Single(p => (int)p["number"]! == number);
                pull["requested_reviewers"] = new JsonArray(body["reviewers"]!.AsArray().Select(r => (JsonNode)new JsonObject { ["login"] = (string)r! }).ToArray());
                return Results.Json(pull, statusCode: 201);
            }
        });
        app.MapPost(repo + "/statuses/{sha}", async (string sha, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                Statuses.Add((sha, (string)body["state"]!, (string)body["context"]!, (string?)body["description"] ?? ""));
            }

            return Results.Json(new { id = Statuses.Count, state = (string)body["state"]!, context = (string)body["context"]! }, statusCode: 201);
        });
        app.MapPost(repo + "/issues/{number:int}/comments", async (int number, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                Comments.Add((number, (string)body["body"]!));
                return Results.Json(new { id = Comments.Count, body = (string)body["body"]! }, statusCode: 201);
            }
        });
        app.MapGet(repo + "/issues", (string? state) =>
        {
            lock (_gate)
            {
                return Results.Json(Issues.Where(i => state == "all" || (string?)i["state"] == (state ?? "open")).ToList());
            }
        });
        app.MapPost(repo + "/issues", async (string owner, string name, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var number = _next++;
                var issue = new JsonObject
                {
                    ["id"] = number,
                    ["node_id"] = $"I_{number}",
                    ["number"] = number,
                    ["state"] = "open",
                    ["title"] = (string?)body["title"],
                    ["body"] = (string?)body["body"],
                    ["user"] = new JsonObject { ["login"] = TokenUser },
                    ["html_url"] = $"{BaseUrl}{owner}/{name}/issues/{number}",
                    ["labels"] = new JsonArray(),
                };
                Issues.Add(issue);
                IssueEdits.Add((number, TokenUser, DateTimeOffset.UtcNow, (string?)body["body"] ?? ""));
                return Results.Json(issue, statusCode: 201);
            }
        });
        app.MapGet(repo + "/collaborators/{login}/permission", (string login) =>
        {
            var permission = Permissions.GetValueOrDefault(login, "none");
            return Results.Json(new { permission, role_name = permission, user = new { login } });
        });

        // GraphQL (at /api/graphql on GitHub Enterprise Server): the two draft mutations REST lacks, and an issue's edit history.
        app.MapPost("/api/graphql", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            var query = (string)body["query"]!;
            if (query.Contains("userContentEdits", StringComparison.Ordinal))
            {
                var number = (int)body["variables"]!["number"]!;
                lock (_gate)
                {
                    // GitHub lists the edits newest first.
                    var nodes = IssueEdits.Where(e => e.Number == number).Reverse().Select(e => new { editedAt = e.At.ToString("o"), editor = new { login = e.Editor } }).ToList();
                    return Results.Json(new { data = new { repository = new { issue = new { userContentEdits = new { nodes } } } } });
                }
            }

            var id = (string?)body["variables"]?["id"];
            var mutation = new[] { "convertPullRequestToDraft", "markPullRequestReadyForReview" }.FirstOrDefault(m => query.Contains(m, StringComparison.Ordinal));
            lock (_gate)
            {
                // GraphQL reports failures with status 200 and an errors list.
                if (Pulls.FirstOrDefault(p => (string?)p["node_id"] == id) is not { } pull || mutation is null)
                {
                    return Results.Json(new { data = (object?)null, errors = new[] { new { message = $"Could not resolve to a node with the global id of '{id}'." } } });
                }

                var draft = mutation == "convertPullRequestToDraft";
                pull["draft"] = draft;
                return Results.Json(new { data = new Dictionary<string, object> { [mutation] = new { pullRequest = new { isDraft = draft } } } });
            }
        });
        app.MapGet(repo + "/git/commits/{sha}", (string sha) =>
            Results.Json(new
            {
                sha,
                message = TempGitRepo.RunGit(_bareRepository, "log", "-1", "--format=%B", sha),
                committer = new { name = "loops", email = "loops@localhost", date = TempGitRepo.RunGit(_bareRepository, "log", "-1", "--format=%cI", sha).Trim() },
            }));
    }

    private string Sha(string branch)
    {
        try
        {
            return TempGitRepo.RunGit(_bareRepository, "rev-parse", $"refs/heads/{branch}").Trim();
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }
}
