using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExecutionLoops.Cli.Tests.TestSupport;

/// <summary>
/// An HTTP proxy on 127.0.0.1 that forwards nothing: set as HTTP(S)_PROXY (with NO_PROXY for the loopback), it
/// records every connection a process tries to make to the outside and refuses it, so a test can assert that
/// nothing left the machine.
/// </summary>
public sealed class CanaryProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public CanaryProxy()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>http://127.0.0.1:port.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The request lines received (<c>CONNECT host:443 HTTP/1.1</c>, <c>GET http://… HTTP/1.1</c>).</summary>
    public ConcurrentQueue<string> Attempts { get; } = new();

    /// <summary>The variables that send a process's outside traffic here and its loopback traffic direct.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["HTTP_PROXY"] = Url, ["HTTPS_PROXY"] = Url, ["http_proxy"] = Url, ["https_proxy"] = Url,
        ["NO_PROXY"] = "127.0.0.1,localhost", ["no_proxy"] = "127.0.0.1,localhost",
    };

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = RefuseAsync(client);
        }
    }

    private async Task RefuseAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                if (await reader.ReadLineAsync() is { } line)
                {
                    Attempts.Enqueue(line);
                }

                await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            }
            catch (IOException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
