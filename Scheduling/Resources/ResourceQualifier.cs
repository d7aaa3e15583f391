namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// The text of a dynamic reservation and a persistent volume inside the resource syntax, an extension of Mesos' agent
/// syntax (which has static reservations only): <c>,dynamic=principal,label.key=value</c> after the role, and
/// <c>[id=vol1,path=data,mode=RW,principal=p]</c> after the parenthesis. Every value is percent-encoded, so none holds a
/// character of the syntax.
/// </summary>
internal static class ResourceQualifier
{
    private const string Dynamic = "dynamic=";
    private const string LabelPrefix = "label.";

    public static string FormatReservation(Reservation? reservation) =>
        reservation is null ? "" : "," + Dynamic + Uri.EscapeDataString(reservation.Principal)
            + string.Concat(reservation.Labels.Select(l => $",{LabelPrefix}{Uri.EscapeDataString(l.Key)}={Uri.EscapeDataString(l.Value)}"));

    public static string FormatVolume(PersistentVolume? volume) =>
        volume is null ? "" : $"[id={Uri.EscapeDataString(volume.Id)},path={Uri.EscapeDataString(volume.ContainerPath)},mode={(volume.ReadOnly ? "RO" : "RW")}"
            + (volume.Principal.Length > 0 ? $",principal={Uri.EscapeDataString(volume.Principal)}" : "") + "]";

    /// <summary>The role and dynamic reservation of the text between the parentheses (<c>db,dynamic=m,label.k=v</c>).</summary>
    public static (string Role, Reservation? Reservation) ParseRole(string fragment, string text)
    {
        var parts = text.Split(',');
        var role = parts[0];
        if (role.Length == 0)
        {
            throw new ResourceParseException(fragment, "the role is empty");
        }

        if (parts.Length == 1)
        {
            return (role, null);
        }

        if (!parts[1].StartsWith(Dynamic, StringComparison.Ordinal))
        {
            throw new ResourceParseException(fragment, $"'{parts[1]}' after the role: expected dynamic=<principal>");
        }

        var labels = new List<KeyValuePair<string, string>>();
        foreach (var part in parts.Skip(2))
        {
            var eq = part.IndexOf('=');
            if (!part.StartsWith(LabelPrefix, StringComparison.Ordinal) || eq < 0)
            {
                throw new ResourceParseException(fragment, $"'{part}' in a reservation: expected label.<key>=<value>");
            }

            labels.Add(new(Unescape(fragment, part[LabelPrefix.Length..eq]), Unescape(fragment, part[(eq + 1)..])));
        }

        if (role == Resource.AnyRole)
        {
            throw new ResourceParseException(fragment, "a dynamic reservation needs a role other than '*'");
        }

        try
        {
            return (role, new Reservation(Unescape(fragment, parts[1][Dynamic.Length..]), labels));
        }
        catch (ArgumentException ex)
        {
            throw new ResourceParseException(fragment, ex.Message);
        }
    }

    /// <summary>The volume of the text between the brackets (<c>id=vol1,path=data,mode=RW</c>).</summary>
    public static PersistentVolume ParseVolume(string fragment, string text)
    {
        string? id = null, path = null, mode = null, principal = null;
        foreach (var part in text.Split(','))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : Unescape(fragment, part[(eq + 1)..]);
            switch (key)
            {
                case "id": id = value; break;
                case "path": path = value; break;
                case "mode": mode = value; break;
                case "principal": principal = value; break;
                default: throw new ResourceParseException(fragment, $"'{part}' in a volume: expected id=, path=, mode= or principal=");
            }
        }

        if (id is null || path is null)
        {
            throw new ResourceParseException(fragment, "a volume needs id= and path=");
        }

        if (mode is not (null or "RW" or "RO"))
        {
            throw new ResourceParseException(fragment, $"volume mode must be RW or RO (is {mode})");
        }

        var volume = new PersistentVolume(id, path, mode == "RO", principal ?? "");
        return volume.Problem() is { } problem ? throw new ResourceParseException(fragment, problem) : volume;
    }

    private static string Unescape(string fragment, string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            throw new ResourceParseException(fragment, $"'{value}' is not percent-encoded text");
        }
    }
}
