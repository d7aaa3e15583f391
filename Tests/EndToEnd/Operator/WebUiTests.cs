using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrleansDcos.Tests.EndToEnd.Operator;

/// <summary>The web UI served by a silo process, driven in Debian's Chromium through Playwright.</summary>
[Trait("Area", "Operator")]
public sealed class WebUiTests
{
    private static readonly float Fresh = 60_000;

    /// <summary>Where the screenshots go: <c>artifacts/ui</c> (the committed copies are in <c>docs/ui</c>).</summary>
    private static string Screenshots => Path.Combine(RepositoryLayout.Root, "artifacts", "ui");

    [RequiresFact(Component.Chromium)]
    public async Task An_app_is_deployed_scaled_and_destroyed_from_the_UI_which_follows_the_event_bus()
    {
        TestEnvironment.Require(Component.Chromium);
        await using var silo = await SiloProcess.StartAsync();
        using (var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80)))
        {
            await api.WaitForAgentsAsync();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        SetDefaultExpectTimeout(Fresh);
        Directory.CreateDirectory(Screenshots);

        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (cspViolations)
                {
                    cspViolations.Add(message.Text);
                }
            }
        };
        var served = await page.GotoAsync(silo.BaseAddress.ToString());
        Assert.Equal("DENY", await served!.HeaderValueAsync("x-frame-options"));
        Assert.Equal("nosniff", await served.HeaderValueAsync("x-content-type-options"));
        Assert.Contains("frame-ancestors 'none'", await served.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "1/1 agents active" })).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        // A bad field: the API's 422 is shown next to the field it names, and the field is marked invalid.
        await page.GetByRole(AriaRole.Link, new() { Name = "Apps", Exact = true }).ClickAsync();
        await page.GetByLabel("App id").FillAsync("/ui/web");
        await page.GetByLabel("Command").FillAsync("echo hello from the ui; while true; do echo tick; sleep 1; done");
        await page.GetByLabel("CPUs").FillAsync("-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();
        await Expect(page.Locator("#app-cpus-error")).ToContainTextAsync("/cpus: must be at least 0");
        await Expect(page.GetByLabel("CPUs")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#notice")).ToContainTextAsync("Object is not valid");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "apps-validation.png") });

        // Deployed through the form; the task becomes RUNNING on the page without a reload (the event bus).
        await page.GetByLabel("CPUs").FillAsync("0.1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();
        await Expect(page.Locator("[data-app-running='/ui/web']")).ToHaveTextAsync("1/1");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page reloaded");
        lock (cspViolations)
        {
            Assert.Empty(cspViolations); // the page works whole under its policy: no inline code, nothing from elsewhere
        }

        // Scaled from its row.
        await page.GetByLabel("Instances for /ui/web").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale /ui/web" }).ClickAsync();
        await Expect(page.Locator("[data-app-running='/ui/web']")).ToHaveTextAsync("2/2");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "apps.png"), FullPage = true });

        // The app's page lists its tasks; a task's page follows its stdout.
        await page.GetByRole(AriaRole.Link, new() { Name = "/ui/web", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "App /ui/web" })).ToBeVisibleAsync();
        await Expect(page.Locator("td .state-TASK_RUNNING")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "app.png"), FullPage = true });
        await page.Locator("a[href^='#/tasks/']").First.ClickAsync();
        await Expect(page.Locator("#log-stdout")).ToContainTextAsync("hello from the ui");
        var ticks = await page.Locator("#log-stdout").InnerTextAsync();
        await Expect(page.Locator("#log-stdout")).Not.ToHaveTextAsync(ticks); // more lines arrive while watching
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "task-log.png") });

        // The other pages render, with no accessibility violations (axe-core, WCAG 2 A/AA).
        foreach (var (link, heading, shot) in new[]
        {
            ("Overview", "Overview", "overview.png"), ("Agents", "Agents", "agents.png"), ("Frameworks", "Frameworks", "frameworks.png"),
            ("Deployments", "Deployments", "deployments.png"), ("Tasks", "Tasks", "tasks.png"), ("Jobs", "Jobs", "jobs.png"),
            ("DNS", "DNS names", "dns.png"), ("Catalogue", "Catalogue", "catalogue.png"), ("Apps", "Apps", "apps.png"),
        })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            await Expect(page.Locator($"nav a[aria-current='page']")).ToHaveTextAsync(link);
            var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa"] } });
            Assert.True(axe.Violations.Length == 0, $"{link}: " + string.Join("; ", axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html).Take(2))})")));
            if (shot != "apps.png")
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, shot), FullPage = true });
            }
        }


        // Destroyed (after confirming), and gone from the list without a reload.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Destroy /ui/web" }).ClickAsync();
        await Expect(page.Locator("[data-app-running='/ui/web']")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page reloaded");

        // A package from the catalogue: bad options are shown next to the options field; good ones install it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Catalogue", Exact = true }).ClickAsync();
        await page.GetByLabel("Search packages").FillAsync("web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Install hello-web…" }).ClickAsync();
        var options = page.GetByLabel("Options (JSON, over the package's defaults)");
        await options.FillAsync("""{"service": {"instances": "x"}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Install hello-web", Exact = true }).ClickAsync();
        await Expect(page.Locator("#package-options-error")).ToContainTextAsync("/service/instances: type");
        await Expect(options).ToHaveAttributeAsync("aria-invalid", "true");
        await options.FillAsync("""{"service": {"name": "ui-pkg", "greeting": "from the ui"}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Install hello-web", Exact = true }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Installed hello-web 1.0.0 as /ui-pkg");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Uninstall /ui-pkg" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "catalogue-installed.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Uninstall /ui-pkg" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Uninstall /ui-pkg" })).ToHaveCountAsync(0);

        // The agent drained and reactivated from its page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Agents", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Drain ") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Reactivate ") })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Reactivate ") }).ClickAsync();
        await Expect(page.Locator("td .ok")).ToHaveTextAsync("active");

        // Keyboard, on a freshly loaded page: the first Tab reaches the skip link, which moves focus to the content.
        await page.GotoAsync(silo.BaseAddress + "#/apps");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Level = 1 })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveTextAsync("Skip to content");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        // A narrow window: the navigation wraps above the content, nothing needs a horizontal scroll of the page.
        await page.SetViewportSizeAsync(390, 800);
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "overview-narrow.png"), FullPage = true });
    }

    [RequiresFact(Component.Chromium)]
    [Trait("Area", "Security")]
    public async Task With_login_on_the_UI_asks_for_a_login_follows_the_event_bus_with_its_token_and_logs_out()
    {
        TestEnvironment.Require(Component.Chromium);
        const string password = "admin-password-1";
        await using var silo = await SiloProcess.StartAsync("--Security:Authentication=true", "--Security:BootstrapUser=admin", $"--Security:BootstrapPassword={password}");
        using (var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80)))
        {
            await Support.Security.AcsLogin.AsAsync(api.Http, "admin", password);
            await api.WaitForAgentsAsync();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        SetDefaultExpectTimeout(Fresh);
        await page.GotoAsync(silo.BaseAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("signed out");

        await page.GetByLabel("User").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("login failed");

        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "1/1 agents active" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie || null")); // the token is in no cookie

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in", Level = 1 })).ToBeVisibleAsync();
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = TestEnvironment.ChromiumPath,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
}
