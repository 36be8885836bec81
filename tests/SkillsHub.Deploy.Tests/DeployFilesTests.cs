using System.Text.RegularExpressions;

namespace SkillsHub.Deploy.Tests;

/// <summary>
/// What can be checked of deploy/ without a container engine or a cluster: nginx -t of every rendered nginx
/// configuration and its forwarded headers, the compose file and the Kubernetes manifests against their
/// published schemas (deploy/validate), the systemd unit, and the image's Node against the web build's engines.
/// </summary>
public sealed partial class DeployFilesTests
{
    static string Deploy(string path) => Path.Combine(Shell.RepoRoot, "deploy", path);

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string Nginx => File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

    /// <summary>The host template rendered as deploy/cluster.sh renders it, and the compose config with loopback upstreams.</summary>
    static async Task<(string HostMain, string HostSite, string ComposeMain, string ComposeSite, string Dir)> RenderAsync()
    {
        var dir = Directory.CreateTempSubdirectory("skillshub-nginx-").FullName;
        var render = await Shell.ExecAsync("bash", ["-c", $"source '{Deploy("lib.sh")}' && RUN_DIR='{dir}/host' && SKILLSHUB_TLS_TERMINATORS='10.0.0.5 192.0.2.7' && mkdir -p \"$RUN_DIR\" && nginx_render 3"]);
        Assert.True(render.ExitCode == 0, render.Output);
        var compose = Path.Combine(dir, "compose.conf");
        // The upstreams are the nodes' addresses on the compose network, which this host does not have: loopback stands in.
        // nginx -t also binds the listen address: port 80 needs root, so an unprivileged run checks it on a free port.
        // TLS: a throwaway self-signed certificate stands in for the operator's files (nginx -t loads them).
        var tls = Directory.CreateDirectory(Path.Combine(dir, "tls")).FullName;
        var cert = await Shell.ExecAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=skillshub.test",
            "-keyout", Path.Combine(tls, "privkey.pem"), "-out", Path.Combine(tls, "fullchain.pem")]);
        Assert.True(cert.ExitCode == 0, cert.Output);
        File.WriteAllText(compose, File.ReadAllText(Deploy("compose/nginx.conf")).Replace("server 172.30.0.11:8080", "server 127.0.0.1:8081").Replace("server 172.30.0.12:8080", "server 127.0.0.1:8082").Replace("server 172.30.0.13:8080", "server 127.0.0.1:8083")
            .Replace("listen 80;", $"listen 127.0.0.1:{FreePort()};").Replace("listen 443 ssl;", $"listen 127.0.0.1:{FreePort()} ssl;").Replace("/etc/nginx/tls/", tls + "/").Replace("/var/log/nginx/", dir + "/"));
        var composeMain = Path.Combine(dir, "nginx-compose.conf");
        File.WriteAllText(composeMain, $"pid {dir}/nginx.pid; error_log {dir}/error.log; events {{}}\nhttp {{ access_log off; include {compose}; }}\n");
        return (Path.Combine(dir, "host", "nginx.conf"), Path.Combine(dir, "host", "skillshub.conf"), composeMain, compose, dir);
    }

    [Fact]
    public async Task EveryRenderedNginxConfig_PassesNginxT()
    {
        var (hostMain, _, composeMain, _, dir) = await RenderAsync();
        try
        {
            var host = await Shell.ExecAsync(Nginx, ["-t", "-c", hostMain, "-p", Path.GetDirectoryName(hostMain)!, "-g", $"user {Environment.UserName};"]);
            var compose = await Shell.ExecAsync(Nginx, ["-t", "-c", composeMain]);

            Assert.True(host.ExitCode == 0, host.Output);
            Assert.Contains("test is successful", host.Output);
            Assert.True(compose.ExitCode == 0, compose.Output);
            Assert.Contains("test is successful", compose.Output);
            // Found by an outside reviewer: the shipped proxy had no TLS, though every example PublicBaseUrl is https://
            // (the nodes then require HTTPS, so nobody could sign in). TLS ends at nginx and the Ingress; port 80 redirects.
            var shipped = File.ReadAllText(Deploy("compose/nginx.conf"));
            Assert.Contains("listen 443 ssl;", shipped);
            Assert.Contains("secretName: skillshub-tls", File.ReadAllText(Deploy("k8s/skillshub.yaml")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// No access log writes a query string: one can carry a credential (the console's device token on /hubs/ as
    /// ?access_token=, a certificate's access token as ?t=). Every access_log names a format of the file's own, and no
    /// format holds the request line or the query (an outside tester found the device token in the proxy's log).
    /// </summary>
    [Theory]
    [InlineData("compose/nginx.conf")]
    [InlineData("nginx/skillshub.conf.template")]
    [InlineData("nginx/nginx.conf.template")]
    public void NoAccessLog_WritesAQueryString(string file)
    {
        var text = string.Join('\n', File.ReadAllLines(Deploy(file)).Where(line => !line.TrimStart().StartsWith('#')));
        var formats = Regex.Matches(text, @"log_format\s+(\S+)\s+([^;]*);").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        foreach (var (name, format) in formats)
        {
            Assert.False(Regex.IsMatch(format, @"\$(request|request_uri|args|query_string|arg_\w+|is_args|http_referer)\b"), $"{file}: log_format {name} writes the query: {format}");
        }
        var logs = Regex.Matches(text, @"access_log\s+([^;]*);").Select(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.NotEmpty(logs);
        foreach (var log in logs)
        {
            Assert.True(log is ["off"] || (log.Length >= 2 && formats.ContainsKey(log[1])), $"{file}: access_log {string.Join(' ', log)} uses nginx's default format, which writes the whole request line");
        }
        // Every site logs in its own format, the inherited default being the request line whole, and writes only critical
        // errors: nginx puts the request line and the Referer into each error line about a request (found by an outside
        // tester: a certificate's ?t= in the error log while a node restarted).
        foreach (var site in ServerBlocks(text))
        {
            Assert.Matches(@"\baccess_log\s", site);
            Assert.Matches(@"\berror_log\s+\S+\s+crit;", site);
        }
    }

    /// <summary>The text of each server { ... } block (upstream blocks are not servers).</summary>
    static IEnumerable<string> ServerBlocks(string text)
    {
        foreach (Match start in Regex.Matches(text, @"(?m)^\s*server\s*\{"))
        {
            var depth = 0;
            for (var i = start.Index + start.Length - 1; i < text.Length; i++)
            {
                depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
                if (depth == 0)
                {
                    yield return text[start.Index..(i + 1)];
                    break;
                }
            }
        }
    }

    [Fact]
    public async Task EveryNginxLocation_PassesHostAndTheForwardedHeaders()
    {
        // nginx inherits proxy_set_header into a location only when it sets none itself: each must set all four.
        var (_, hostSite, _, composeSite, dir) = await RenderAsync();
        try
        {
            foreach (var config in new[] { hostSite, composeSite })
            {
                var locations = Locations(File.ReadAllText(config));
                Assert.True(locations.Count >= 3, $"{config}: {locations.Count} locations");
                // The host template passes on a listed TLS terminator's scheme; the compose proxy is the terminator itself.
                var proto = config == hostSite ? "X-Forwarded-Proto $skillshub_forwarded_proto" : "X-Forwarded-Proto $scheme";
                // Those that proxy: the compose proxy's plain-HTTP server only redirects or refuses.
                foreach (var (name, body) in locations.Where(l => l.Body.Contains("proxy_pass", StringComparison.Ordinal)))
                {
                    foreach (var header in new[] { "Host $host", "X-Forwarded-For $proxy_add_x_forwarded_for", proto, "X-Forwarded-Host $host" })
                    {
                        Assert.True(body.Contains($"proxy_set_header {header};"), $"{config}: location {name} does not pass {header}");
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TheProxies_LetThroughEveryBodyANodeAccepts_AndThePublicProxyNamesNoNode()
    {
        // Found by an outside reviewer: the proxies stopped bodies at 20 MB, under the nodes' limit, so an upload in between
        // got nginx's HTML page instead of the node's problem naming the limit; later at 30 MB, under the uploads' 64 MiB
        // (Platform/RequestBodies.cs, MaxUploadBytes).
        const long NodeLimit = 64L * 1024 * 1024;
        var configs = new[] { "compose/nginx.conf", "nginx/skillshub.conf.template" }
            .Select(path => (path, Limit: ProxyBodySize().Match(File.ReadAllText(Deploy(path)))));
        var ingress = IngressBodySize().Match(File.ReadAllText(Deploy("k8s/skillshub.yaml")));
        foreach (var (path, limit) in configs.Append(("k8s/skillshub.yaml", ingress)))
        {
            Assert.True(limit.Success, $"{path} sets no body limit");
            Assert.True(long.Parse(limit.Groups[1].Value) * 1024 * 1024 >= NodeLimit, $"{path}: {limit.Value} is below the nodes' {NodeLimit} bytes");
        }
        // The compose proxy faces the public: which node answered goes to its log, not into a response header.
        Assert.DoesNotContain("add_header X-SkillsHub-Upstream", File.ReadAllText(Deploy("compose/nginx.conf")));
    }

    [GeneratedRegex(@"client_max_body_size\s+(\d+)m;")]
    private static partial Regex ProxyBodySize();

    [GeneratedRegex(@"proxy-body-size:\s+(\d+)m")]
    private static partial Regex IngressBodySize();

    /// <summary>Each location block's name and body (the configs nest no blocks inside a location).</summary>
    static List<(string Name, string Body)> Locations(string config) =>
        LocationBlock().Matches(config).Select(m => (m.Groups[1].Value.Trim(), m.Groups[2].Value)).ToList();

    [GeneratedRegex(@"location\s+([^{]+)\{([^}]*)\}")]
    private static partial Regex LocationBlock();

    [Fact]
    public async Task ComposeAndKubernetes_MatchTheirPublishedSchemas_AndTheProjectsRules()
    {
        var run = await Shell.ExecAsync("node", [Deploy("validate/validate.mjs")]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("5 services checked against the Compose Specification schema", run.Output);
        Assert.Contains("documents checked against the Kubernetes API schemas", run.Output);
    }

    [Fact]
    public async Task TheValidator_RefusesBrokenFiles()
    {
        // The check above is worth something only if the validator fails on what it must refuse.
        var dir = Directory.CreateTempSubdirectory("skillshub-broken-").FullName;
        try
        {
            var compose = Path.Combine(dir, "compose.yaml");
            File.WriteAllText(compose, File.ReadAllText(Deploy("compose/compose.yaml"))
                .Replace("stop_grace_period: 45s", "stop_grace_period: 45s\n  restart_policy: always")   // not a Compose key
                .Replace("  DataProtection__KeyEncryptionKeyFile: /run/secrets/dataprotection_kek\n", ""));
            var k8s = Path.Combine(dir, "k8s.yaml");
            File.WriteAllText(k8s, File.ReadAllText(Deploy("k8s/skillshub.yaml"))
                .Replace("replicas: 3", "replicas: three")
                .Replace("minAvailable: 2", "minAvailable: [2]")
                + "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared, namespace: skillshub}\nspec:\n  accessModes: [ReadWriteMany]\n  resources: {requests: {storage: 1Mi}}\n");

            var run = await Shell.ExecAsync("node", [Deploy("validate/validate.mjs"), "--compose", compose, "--k8s", k8s]);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("restart_policy", run.Output);
            Assert.Contains("does not take DataProtection__KeyEncryptionKeyFile from the secret dataprotection_kek", run.Output);
            Assert.Contains("Deployment skillshub", run.Output);
            Assert.Contains("PodDisruptionBudget skillshub", run.Output);
            Assert.Contains("PersistentVolumeClaim shared is ReadWriteMany", run.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task SystemdUnit_VerifiesAndLoadsBothKeysAsCredentials()
    {
        var dir = Directory.CreateTempSubdirectory("skillshub-unit-").FullName;
        try
        {
            var unit = File.ReadAllText(Deploy("systemd/skillshub@.service"));
            File.WriteAllText(Path.Combine(dir, "skillshub@1.service"), unit);

            var verify = await Shell.ExecAsync("systemd-analyze", ["verify", Path.Combine(dir, "skillshub@1.service")]);

            Assert.DoesNotMatch("Unknown|Invalid|Failed to parse", verify.Output);
            // Its exit code too, as deploy/validate.sh reads it (found by an outside tester: an ExecStart that is not
            // executable exits 1 and prints none of those words); the unit's own dotnet may be missing on a test machine.
            Assert.True(verify.ExitCode == 0 || (!File.Exists("/usr/bin/dotnet") && verify.Output.Contains("/usr/bin/dotnet is not executable")), verify.Output);
            var broken = Path.Combine(dir, "skillshub@2.service");
            File.WriteAllText(broken, unit.Replace("ExecStart=/usr/bin/dotnet ", "ExecStart=/usr/bin/dotnet-missing "));
            Assert.NotEqual(0, (await Shell.ExecAsync("systemd-analyze", ["verify", broken])).ExitCode);
            // Hardened: systemd's own exposure score at most 4.0 of 10, "OK" (found by an outside tester: 8.5, "exposed").
            var security = await Shell.ExecAsync("systemd-analyze", ["security", "--offline=true", "--threshold=40", Path.Combine(dir, "skillshub@1.service")]);
            Assert.True(security.ExitCode == 0, security.Output);
            Assert.Contains("LoadCredential=credentials.kek:", unit);
            Assert.Contains("LoadCredential=dataprotection.kek:", unit);
            Assert.Contains("Environment=Credentials__KeyEncryptionKeyFile=%d/credentials.kek", unit);
            Assert.Contains("Environment=DataProtection__KeyEncryptionKeyFile=%d/dataprotection.kek", unit);
            Assert.Matches("(?m)^PublicBaseUrl=https://", File.ReadAllText(Deploy("systemd/common.env.example")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Image_BuildsThePagesWithANodeThatEveryPackageOfTheWebBuildAccepts_AndRunsAsNonRootWithAHealthCheck()
    {
        var dockerfile = File.ReadAllText(Deploy("compose/Dockerfile"));
        var nodeVersion = NodeArg().Match(dockerfile).Groups[1].Value;
        Assert.Matches(@"^22\.\d+$", nodeVersion);
        Assert.Contains("FROM node:${NODE_VERSION}-bookworm-slim AS web", dockerfile);

        // npm's semver package (deploy/validate): the Node image's version (its lowest patch) against package.json's engines and
        // every engines range in the lock file (Vite's bundler asks for more than Vite itself).
        var script = """
            const path = require('path');
            const semver = require(path.join(process.argv[3], 'node_modules/semver'));
            const web = process.argv[2], version = process.argv[1] + '.0';
            const pkg = require(path.join(web, 'package.json')), lock = require(path.join(web, 'package-lock.json'));
            const ranges = [['package.json', pkg.engines && pkg.engines.node]];
            for (const [name, entry] of Object.entries(lock.packages)) if (entry.engines && entry.engines.node) ranges.push([name || '(root)', entry.engines.node]);
            if (!ranges[0][1]) { console.log('package.json declares no engines.node'); process.exit(1); }
            const bad = ranges.filter(([, range]) => !semver.satisfies(version, range));
            console.log(`${version} against ${ranges.length} ranges; unsatisfied: ${JSON.stringify(bad)}`);
            process.exit(bad.length ? 1 : 0);
            """;
        var check = await Shell.ExecAsync("node", ["-e", script, nodeVersion, Path.Combine(Shell.RepoRoot, "src", "SkillsHub.Web"), Deploy("validate")]);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("unsatisfied: []", check.Output);

        // The same check fails for the Node the SDK image's distribution would have installed (18).
        var old = await Shell.ExecAsync("node", ["-e", script, "18.19", Path.Combine(Shell.RepoRoot, "src", "SkillsHub.Web"), Deploy("validate")]);
        Assert.Equal(1, old.ExitCode);

        var runtime = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        Assert.StartsWith("\nFROM mcr.microsoft.com/dotnet/aspnet:10.0", runtime);
        Assert.Contains("\nUSER app\n", runtime);
        Assert.Matches(@"\nHEALTHCHECK .*/health/ready", runtime);
        Assert.Contains("-p:SkipWebBuild=true", dockerfile);
    }

    [GeneratedRegex(@"ARG NODE_VERSION=(\S+)")]
    private static partial Regex NodeArg();
    /// <summary>
    /// Found by an outside tester: behind a TLS terminator the host nginx replaced the terminator's X-Forwarded-Proto
    /// (https) with its own http, so every sign-in was refused as not HTTPS. The rendered nginx runs in front of a stand-in
    /// node that echoes what it was told: a listed terminator's https is passed on, anyone else's header is replaced.
    /// </summary>
    [Theory]
    [InlineData("127.0.0.1", "https", "https")]
    [InlineData("", "https", "http")]
    [InlineData("127.0.0.1", "gopher", "http")]
    public async Task TheHostNginx_PassesOnOnlyAListedTerminatorsScheme(string terminators, string sent, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("skillshub-nginx-run-").FullName;
        using var node = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        node.Start();
        var nodePort = ((System.Net.IPEndPoint)node.LocalEndpoint).Port;
        var nginxPort = FreePort();
        var told = EchoOnceAsync(node);
        var render = await Shell.ExecAsync("bash", ["-c", $"source '{Deploy("lib.sh")}' && RUN_DIR='{dir}' && NGINX_PORT={nginxPort} && HTTP_BASE_PORT={nodePort - 1} && SKILLSHUB_TLS_TERMINATORS='{terminators}' && nginx_render 1"]);
        Assert.True(render.ExitCode == 0, render.Output);
        using var nginx = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Nginx, ["-c", Path.Combine(dir, "nginx.conf"), "-p", dir, "-g", $"user {Environment.UserName};"])
        {
            RedirectStandardError = true,
        })!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{nginxPort}") };
            HttpResponseMessage? response = null;
            for (var attempt = 0; response is null && attempt < 50; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me") { Headers = { { "X-Forwarded-Proto", sent } } };
                    response = await client.SendAsync(request);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }
            Assert.NotNull(response);
            Assert.Equal(expected, (await told.WaitAsync(TimeSpan.FromSeconds(10))).GetValueOrDefault("x-forwarded-proto"));
        }
        finally
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The compose proxy's plain-HTTP server, run: a page's GET or HEAD is sent to HTTPS, anything else refused with a
    /// problem saying so (found by an outside tester: a 301 made clients send a POSTed mark again as a GET, without it).
    /// </summary>
    [Fact]
    public async Task TheComposePlainHttpServer_RedirectsPages_AndRefusesWrites()
    {
        var dir = Directory.CreateTempSubdirectory("skillshub-nginx-80-").FullName;
        var shipped = File.ReadAllText(Deploy("compose/nginx.conf"));
        var start = shipped.IndexOf("server {\n    listen 80;", StringComparison.Ordinal);
        Assert.True(start >= 0, "the compose nginx.conf has a server on port 80");
        var block = shipped[start..(shipped.IndexOf("\n}\n", start, StringComparison.Ordinal) + 3)];
        var port = FreePort();
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), $"pid {dir}/nginx.pid; error_log {dir}/error.log; events {{}}\nhttp {{ log_format skillshub '$request_method'; "
            + block.Replace("listen 80;", $"listen 127.0.0.1:{port};").Replace("/var/log/nginx/", dir + "/") + " }\n");
        using var nginx = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Nginx, ["-c", Path.Combine(dir, "nginx.conf"), "-p", dir, "-g", $"user {Environment.UserName};"])
        {
            RedirectStandardError = true,
        })!;
        try
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? page = null;
            for (var attempt = 0; page is null && attempt < 50; attempt++)
            {
                try
                {
                    page = await client.GetAsync("/board/WSC2024?screen=1");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }
            Assert.NotNull(page);
            Assert.Equal(System.Net.HttpStatusCode.MovedPermanently, page.StatusCode);
            Assert.Equal($"https://127.0.0.1/board/WSC2024?screen=1", page.Headers.Location?.ToString());
            Assert.Equal(System.Net.HttpStatusCode.MovedPermanently, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"))).StatusCode);
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
            {
                using var write = await client.SendAsync(new HttpRequestMessage(method, "/api/competitions/WSC2024/skills/07/marks.js") { Content = new StringContent("{}") });
                Assert.Equal(System.Net.HttpStatusCode.Forbidden, write.StatusCode);
                Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
                var problem = System.Text.Json.JsonDocument.Parse(await write.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("https-required", problem.GetProperty("code").GetString());
                Assert.Contains("https://127.0.0.1/api/competitions/WSC2024/skills/07/marks.js", problem.GetProperty("detail").GetString());
            }
        }
        finally
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Answers one HTTP request with 200 and returns its headers (lower-case names).</summary>
    static async Task<Dictionary<string, string>> EchoOnceAsync(System.Net.Sockets.TcpListener listener)
    {
        using var socket = await listener.AcceptTcpClientAsync();
        var stream = socket.GetStream();
        var reader = new StreamReader(stream);
        var headers = new Dictionary<string, string>();
        await reader.ReadLineAsync();
        while (await reader.ReadLineAsync() is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        var answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray();
        await stream.WriteAsync(answer);
        return headers;
    }
}
