namespace MockRunsServer.Streaming;

/// <summary>Receives a run's events as the engine applies them, under the run's thread lock: it must not block.</summary>
public interface IRunObserver
{
    void OnEvent(string eventName, object data);

    /// <summary>The run reached a point where its stream ends (a terminal status or requires_action).</summary>
    void OnEnd();
}

/// <summary>The observers of one run; null on runs nobody streams, so unobserved runs pay nothing.</summary>
public sealed class RunObserverList
{
    private readonly List<IRunObserver> observers = [];

    public bool IsEmpty => observers.Count == 0;

    public void Add(IRunObserver observer) => observers.Add(observer);

    public void Remove(IRunObserver observer) => observers.Remove(observer);

    public void Publish(string eventName, object data)
    {
        foreach (var observer in observers)
        {
            observer.OnEvent(eventName, data);
        }
    }

    /// <summary>Ends the streams with an <c>error</c> event first, for a run that will never reach an ending event.</summary>
    public void Fail(Wire.ErrorResponse error)
    {
        Publish("error", error);
        End();
    }

    public void End()
    {
        foreach (var observer in observers)
        {
            observer.OnEnd();
        }
        observers.Clear();
    }
}
