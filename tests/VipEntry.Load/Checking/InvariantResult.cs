namespace VipEntry.Load.Checking;

/// <summary>One invariant of issue 10: how many violations, the first few (each naming its subscriber), and what it covered.</summary>
public sealed class InvariantResult
{
    private const int MaxExamples = 50;

    public string Name { get; set; } = "";

    public long Violations { get; set; }

    public List<string> Examples { get; set; } = [];

    public Dictionary<string, long> Coverage { get; set; } = [];

    public bool Passed => Violations == 0;

    public void Fail(string violation)
    {
        Violations++;
        if (Examples.Count < MaxExamples)
        {
            Examples.Add(violation);
        }
    }

    public void Cover(string what, long count = 1) => Coverage[what] = Coverage.GetValueOrDefault(what) + count;
}
