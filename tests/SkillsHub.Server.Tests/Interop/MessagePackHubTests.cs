using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Abstractions;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>The leaderboard hub serves a MessagePack client and a JSON client the same standings.</summary>
[Collection(ServerCollection.Interop)]
public sealed class MessagePackHubTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    /// <summary>
    /// Found by an outside tester: a spread of √3 reached MessagePack clients one unit in the last place off what JSON
    /// clients read (.NET's decimal-to-double cast is not correctly rounded). Both now carry the double nearest the decimal.
    /// </summary>
    [Theory]
    [InlineData("1.7320508075688772935274463415")]
    [InlineData("0.1")]
    [InlineData("712.5")]
    [InlineData("-33.333333333333333333333333333")]
    [InlineData("79228162514264337593543950335")]
    public void MessagePack_CarriesTheDoubleAJsonClientReads(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var bytes = MessagePack.MessagePackSerializer.Serialize(value, Hubs.HubProtocols.MessagePackOptions);
        var json = System.Text.Json.JsonSerializer.Serialize(value);
        Assert.Equal(double.Parse(json, System.Globalization.CultureInfo.InvariantCulture), MessagePack.MessagePackSerializer.Deserialize<double>(bytes));
    }

    [Fact]
    public async Task MessagePackAndJsonClients_GetTheSameSnapshotAndUpdate()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var url = new Uri(node.BaseAddress, "/hubs/leaderboard");
        await using var msgpack = new HubConnectionBuilder().WithUrl(url)
            .AddMessagePackProtocol(o => o.SerializerOptions = Hubs.HubProtocols.MessagePackOptions).Build();
        await using var json = new HubConnectionBuilder().WithUrl(url)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter())).Build();
        // The MessagePack connection really negotiated MessagePack (its only protocol).
        Assert.IsType<MessagePackHubProtocol>(GetProtocol(msgpack));

        var viaMsgpack = new ConcurrentQueue<Standings>();
        var viaJson = new ConcurrentQueue<Standings>();
        msgpack.On<Standings>("standings", viaMsgpack.Enqueue);
        json.On<Standings>("standings", viaJson.Enqueue);
        await msgpack.StartAsync();
        await json.StartAsync();
        var a = await msgpack.InvokeAsync<Standings>("Subscribe", scenario.Code, MarkingScenario.Skill);
        var b = await json.InvokeAsync<Standings>("Subscribe", scenario.Code, MarkingScenario.Skill);
        Assert.Equal(3, a.Rows.Count);
        Assert.Equal(b.Rows.Select(r => (r.CompetitorId, r.Place, r.Raw, r.Scaled, r.Award)), a.Rows.Select(r => (r.CompetitorId, r.Place, r.Raw, r.Scaled, r.Award)));
        Assert.Equal(b.Mode, a.Mode);

        Assert.Equal(HttpStatusCode.OK, (await scenario.MarkAsync(scenario.Experts["E-KR"], "CN-07", "mp-1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(
            viaMsgpack.Any(s => s.Rows.Any(r => r.CompetitorId == "CN-07" && r.Raw == 40m)) && viaJson.Any(s => s.Rows.Any(r => r.CompetitorId == "CN-07" && r.Raw == 40m))),
            TimeSpan.FromSeconds(5)));
        var lastMsgpack = viaMsgpack.Last(s => s.Rows.Any(r => r.CompetitorId == "CN-07" && r.Raw == 40m));
        var lastJson = viaJson.Single(s => s.Sequence == lastMsgpack.Sequence);
        Assert.Equal(lastJson.Rows.Select(r => (r.CompetitorId, r.Place, r.Raw, r.Scaled)), lastMsgpack.Rows.Select(r => (r.CompetitorId, r.Place, r.Raw, r.Scaled)));
        Assert.Equal(lastJson.AsOf, lastMsgpack.AsOf);
    }

    static IHubProtocol GetProtocol(HubConnection connection) =>
        (IHubProtocol)typeof(HubConnection).GetField("_protocol", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(connection)!;
}
