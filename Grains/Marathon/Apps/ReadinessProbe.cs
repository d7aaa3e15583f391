namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>
/// Marathon's readiness check of one task: an HTTP GET from the silo to the task's host and named port, ready when the
/// status is one of the check's ready codes; its response is kept (truncated) when the check preserves it.
/// </summary>
internal sealed class ReadinessProbe(HttpClient http)
{
    /// <summary>Characters of a preserved response body kept.</summary>
    public const int MaxPreservedBody = 4096;

    /// <summary>Probes <paramref name="instance"/> on its port at <paramref name="portIndex"/> (none: not ready, saying so).</summary>
    public async Task<ReadinessResult> ProbeAsync(InstanceRecord instance, ReadinessCheckDefinition check, int portIndex)
    {
        if (portIndex < 0 || portIndex >= instance.Ports.Count)
        {
            return new ReadinessResult(false, null, $"the task has no port named {check.PortName}");
        }

        var url = $"{check.Protocol.ToLowerInvariant()}://{instance.Host}:{instance.Ports[portIndex]}{check.Path}";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(check.TimeoutSeconds));
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            var status = (int)response.StatusCode;
            ReadinessResponse? last = null;
            if (check.PreserveLastResponse)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                last = new ReadinessResponse(status, response.Content.Headers.ContentType?.ToString() ?? string.Empty,
                    body.Length > MaxPreservedBody ? body[..MaxPreservedBody] : body);
            }

            return new ReadinessResult(check.HttpStatusCodesForReady.Contains(status), status, $"GET {url}: {status}", last);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new ReadinessResult(false, null, $"GET {url}: {ex.Message}");
        }
    }
}
