using Microsoft.Playwright;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Components;

/// <summary>Debian's Chromium, driven by Playwright, loads pages from a real silo process.</summary>
[Trait("Component", "Chromium")]
public sealed class BrowserTests
{
    [RequiresFact(Component.Chromium)]
    public async Task Chromium_loads_the_silo_ping_page()
    {
        TestEnvironment.Require(Component.Chromium);
        await using var silo = await SiloProcess.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync(new Uri(silo.BaseAddress, "ping").ToString());

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal("pong", (await page.InnerTextAsync("body")).Trim());
    }
}
