using ExecutionLoops.Cli.Tests.TestSupport;
using Microsoft.Playwright;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The dashboard page rendered in a real browser: Debian's Chromium driven by Playwright (its own browser download is
/// not reachable, so the system one is passed as the executable). CI installs chromium; when it is missing the test
/// fails. Screenshots of both colour schemes are saved under TestResults/ beside the test assembly.
/// </summary>
[Collection(MonitoredRepo.Collection)]
public sealed class DashboardBrowserTests(MonitoredRepo scenario)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Dashboard_InHeadlessChromium_ShowsTheHistoryAccessiblyWithoutErrorsOrNetwork()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: install Debian's chromium package (apt-get install chromium), as .ci/run does.");
        var site = Path.Combine(scenario.Repo.Root, "site");
        var written = await CliRunner.RunAsync(scenario.Repo.Root, "dashboard", "--output", "site");
        written.ExitCode.ShouldBe(0, written.All);
        written.Output.Trim().ShouldBe(Path.Combine(site, "index.html"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var problems = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(new Uri(Path.Combine(site, "index.html")).AbsoluteUri);

        (await page.TitleAsync()).ShouldBe($"Loops dashboard: {new DirectoryInfo(scenario.Repo.Root).Name}");
        var missions = await Rows(page, "#missions-table");
        missions.ShouldBe(
        [
            ["blocked", "command", "2", "0%", "–", "0", "–", "command (EL3006) × 2", "–", missions[0][9]],
            ["note", "command", "1", "100%", "–", "0", "–", "–", "–", missions[1][9]],
            ["tidy", "command", "4", "100%", "25%", "3", missions[2][6], "–", "–", missions[2][9]],
        ]);
        missions[0][9].ShouldStartWith("gate-failed ");
        missions[2][6].ShouldMatch(@"^\d+ s$");
        (await page.Locator("#timeline-chart .run").CountAsync()).ShouldBe(7);
        (await Rows(page, "#runs-table")).Count.ShouldBe(7);
        (await page.Locator("#suggestions li").AllInnerTextsAsync()).Select(s => s.Split(' ')[0]).ShouldBe(["failing-gate", "feedback-to-constraints", "delegate-routine"]);
        (await Rows(page, "#gates-table")).ShouldBe([["command", "EL3006", "2"]]);
        var open = await Rows(page, "#reviews-table");
        open.Count.ShouldBe(1);
        open[0][0].ShouldBe("note");
        open[0][3].ShouldBe("open");
        var pair = await Rows(page, "#pair-table");
        pair.Count.ShouldBe(1);
        (pair[0][0], pair[0][1], pair[0][5], pair[0][6]).ShouldBe(("fix-spacing", "Fix the spacing in App.cs", "1", "format"));
        (await page.Locator("#cost").InnerTextAsync()).ShouldContain("No agent mission has run");

        // Accessible: every chart is an image with a title and a description; every table has a caption and header scopes.
        var charts = page.Locator("svg");
        (await charts.CountAsync()).ShouldBe(3);
        for (var i = 0; i < await charts.CountAsync(); i++)
        {
            var chart = charts.Nth(i);
            (await chart.GetAttributeAsync("role")).ShouldBe("img");
            (await chart.Locator("> title").TextContentAsync()).ShouldNotBeNullOrWhiteSpace();
            (await chart.Locator("> desc").TextContentAsync()).ShouldNotBeNullOrWhiteSpace();
        }

        (await page.Locator("table").CountAsync()).ShouldBe(await page.Locator("table > caption").CountAsync());
        (await page.Locator("th:not([scope])").CountAsync()).ShouldBe(0);

        var light = await BackgroundOf(page);
        await Screenshot(page, "dashboard-light.png");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        var dark = await BackgroundOf(page);
        await Screenshot(page, "dashboard-dark.png");

        light.ShouldBe("rgb(255, 255, 255)");
        dark.ShouldBe("rgb(13, 17, 23)");
        problems.ShouldBeEmpty();
        requests.ShouldAllBe(url => url.StartsWith("file://", StringComparison.Ordinal));
    }

    private static async Task<List<List<string>>> Rows(IPage page, string table)
    {
        var rows = new List<List<string>>();
        var locator = page.Locator($"{table} tbody tr");
        for (var i = 0; i < await locator.CountAsync(); i++)
        {
            rows.Add((await locator.Nth(i).Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()).ToList());
        }

        return rows;
    }

    private static Task<string> BackgroundOf(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        new FileInfo(path).Length.ShouldBeGreaterThan(10_000);
    }
}
