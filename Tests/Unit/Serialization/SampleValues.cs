using System.Reflection;

namespace OrleansDcos.Tests.Unit.Serialization;

/// <summary>Builds a value of a contract type with every member set to something other than its default.</summary>
internal static class SampleValues
{
    private const int MaxDepth = 4;
    private static int _counter;

    public static object? Fill(Type type, int depth)
    {
        var n = Interlocked.Increment(ref _counter);
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Fill(underlying, depth);
        }

        if (type == typeof(string))
        {
            return $"s{n}";
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1);
        }

        if (type.IsPrimitive || type == typeof(decimal))
        {
            return type == typeof(bool) ? true : Convert.ChangeType(n % 100 + 1, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(Guid))
        {
            return new Guid(n, 1, 2, [3, 4, 5, 6, 7, 8, 9, 10]);
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.FromSeconds(n);
        }

        if (type == typeof(OrleansDcos.Scheduling.Resources.Resources))
        {
            return OrleansDcos.Scheduling.Resources.Resources.Parse($"cpus:{n % 8 + 1};mem:{n};ports:[{31000 + n}-{31001 + n}]");
        }

        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.UnixEpoch.AddSeconds(n);
        }

        if (depth > MaxDepth)
        {
            return type.IsValueType ? Activator.CreateInstance(type) : null;
        }

        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Fill(type.GetElementType()!, depth + 1), 0);
            return array;
        }

        if (type.IsGenericType && type.GetGenericArguments().Length == 1 && type.GetGenericTypeDefinition() is var list
            && (list == typeof(IReadOnlyList<>) || list == typeof(List<>) || list == typeof(IReadOnlyCollection<>) || list == typeof(IEnumerable<>)))
        {
            var element = type.GetGenericArguments()[0];
            var values = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            values.Add(Fill(element, depth + 1));
            return values;
        }

        if (type.IsGenericType && type.GetGenericArguments().Length == 2 && type.GetGenericTypeDefinition() is var map
            && (map == typeof(IReadOnlyDictionary<,>) || map == typeof(Dictionary<,>)))
        {
            var args = type.GetGenericArguments();
            var values = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
            values.Add(Fill(args[0], depth + 1)!, Fill(args[1], depth + 1));
            return values;
        }

        return Construct(type, depth);
    }

    private static object Construct(Type type, int depth)
    {
        if (type.IsValueType && type.GetConstructors().Length == 0)
        {
            // A struct of public fields (a surrogate).
            var boxed = Activator.CreateInstance(type)!;
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                field.SetValue(boxed, Fill(field.FieldType, depth + 1));
            }

            return boxed;
        }

        var constructor = type.GetConstructors()
            .Where(c => !(c.GetParameters() is [var only] && only.ParameterType == type))
            .OrderByDescending(c => c.GetParameters().Length)
            .ThenBy(c => c.GetParameters().Count(p => p.ParameterType == typeof(string)))
            .First();
        var arguments = constructor.GetParameters().Select(p => Fill(p.ParameterType, depth + 1)).ToArray();
        var value = constructor.Invoke(arguments);
        var filled = constructor.GetParameters().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && !filled.Contains(property.Name))
            {
                property.SetValue(value, Fill(property.PropertyType, depth + 1));
            }
        }

        return value;
    }
}
