namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// How one seat combines the segmentation verdict with the second signal (<see cref="PersonCheck"/>), on video time.
/// A stay begins when the segmentation says "someone is there"; it counts as present only once the second signal has
/// seen a person in it: a face at first, afterwards a face or a pose (the analyser asks for the pose only while
/// <see cref="Confirmed"/>). The check runs only when that could change the verdict: at the start of a stay, when a
/// confirmation is due (<see cref="OccupancyOptions.PersonConfirmInterval"/>), and while an unconfirmed stay lasts,
/// again after 1, 2, 4 ... seconds up to the confirmation interval, so a dog asleep on the chair costs a few checks
/// an hour. A confirmed stay ends when the segmentation no longer sees enough of anyone and no face is left in the seat
/// (the analyser asks the face detector before it lets a confirmed stay end: a clerk half hidden behind a monitor
/// is still the person who was seen), or after two checks in a row that find no person.
/// </summary>
public sealed class PersonConfirmation(TimeSpan confirmInterval)
{
    private const int StrikesToRevoke = 2;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private bool _staying;
    private bool _person;
    private int _strikes;
    private DateTimeOffset _nextCheck;
    private TimeSpan _retry = FirstRetry;

    /// <summary>True while the current stay has been confirmed as a person.</summary>
    public bool Confirmed => _staying && _person;

    /// <summary>
    /// Feeds this frame's segmentation verdict; true when the second signal must look now (then call <see cref="Checked"/>).
    /// </summary>
    public bool Due(bool segmentationPresent, DateTimeOffset at)
    {
        if (!segmentationPresent)
        {
            _staying = false;
            return false;
        }

        if (!_staying)
        {
            _staying = true;
            _person = false;
            _strikes = 0;
            _retry = FirstRetry;
            return true;
        }

        // A timestamp going backwards (a restarted stream) checks again rather than waiting.
        return at >= _nextCheck || at < _nextCheck - confirmInterval - _retry;
    }

    /// <summary>The second signal's answer for the current stay at <paramref name="at"/>.</summary>
    public void Checked(bool person, DateTimeOffset at)
    {
        if (person)
        {
            _person = true;
            _strikes = 0;
            _retry = FirstRetry;
            _nextCheck = at + confirmInterval;
            return;
        }

        if (_person && ++_strikes < StrikesToRevoke)
        {
            // One miss of a confirmed person (a head turned, a hand over the face) is asked again at once, next frame.
            _nextCheck = at + FirstRetry;
            return;
        }

        _person = false;
        _nextCheck = at + _retry;
        _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, confirmInterval.Ticks));
    }

    /// <summary>Forgets the stay (the seat was moved).</summary>
    public void Reset()
    {
        _staying = false;
        _person = false;
    }
}
