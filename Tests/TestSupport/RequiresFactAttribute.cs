using Xunit;

namespace OrleansDcos.Tests.Support;

/// <summary>
/// A fact that needs real components. Outside CI a missing component skips the test with its
/// reason; under <c>CI=true</c> the test runs and fails with that reason (call
/// <see cref="TestEnvironment.Require"/> first in the test body).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresFactAttribute : FactAttribute
{
    /// <summary>Declares the components the test needs.</summary>
    public RequiresFactAttribute(params Component[] components)
    {
        Components = components;
        if (!TestEnvironment.IsCi)
        {
            var missing = components.Select(TestEnvironment.WhyMissing).FirstOrDefault(reason => reason is not null);
            if (missing is not null)
            {
                Skip = missing;
            }
        }
    }

    /// <summary>The components the test needs.</summary>
    public IReadOnlyList<Component> Components { get; }
}
