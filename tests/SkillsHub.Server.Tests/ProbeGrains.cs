using Orleans.Runtime;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Tests;

// The state name is what the storage row records in graintypestring.
// Grains that exist only to prove the PostgreSQL providers end to end through a real silo.

[Alias("SkillsHub.Tests.IStorageProbeGrain")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task Clear();
}

[GenerateSerializer, Alias("SkillsHub.Tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public int Count { get; set; }

    [Id(1)] public string Note { get; set; } = "";
}

[GrainType("storage-probe")]
public sealed class StorageProbeGrain([PersistentState("storage-probe", OrleansRegistration.StorageName)] IPersistentState<ProbeState> state) : Grain, IStorageProbeGrain
{
    async Task<int> IStorageProbeGrain.Increment()
    {
        state.State.Count++;
        state.State.Note = "数控铣 CNC";
        await state.WriteStateAsync();
        return state.State.Count;
    }

    Task<int> IStorageProbeGrain.Get() => Task.FromResult(state.State.Count);

    Task IStorageProbeGrain.Clear() => state.ClearStateAsync();
}

[Alias("SkillsHub.Tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);
}

[GrainType("reminder-probe")]
public sealed class ReminderProbeGrain([PersistentState("reminder-probe", OrleansRegistration.StorageName)] IPersistentState<ProbeState> state) : Grain, IReminderProbeGrain, IRemindable
{
    async Task IReminderProbeGrain.Start(TimeSpan period) => await this.RegisterOrUpdateReminder("tick", TimeSpan.FromSeconds(1), period);

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Count++;
        await state.WriteStateAsync();
    }
}
