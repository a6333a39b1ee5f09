using System.Globalization;
using System.Runtime.CompilerServices;
using Bogus;
using Bogus.DataSets;

namespace MockRunsServer.Generation;

/// <summary>
/// Realistic strings and numeric ranges for schema values, chosen by JSON Schema <c>format</c>
/// or, failing that, by the name of the property the value is for. Every draw comes from the
/// one <see cref="Randomizer"/> handed in, and dates are offsets from a fixed instant (never the
/// wall clock), so a seed reproduces every value.
/// </summary>
/// <remarks>
/// Bogus data sets are made on first use and kept per randomizer (<see cref="For"/>), since the
/// server makes a <see cref="JsonSchemaFaker"/> for each call. Bogus' System, Company and Internet
/// data sets are not used: System alone costs milliseconds to construct, and the others build
/// their values through a template engine that looks methods up by reflection on every call.
/// </remarks>
internal sealed class PlausibleValues
{
    // Dates are spread around a fixed instant so output never depends on when it ran.
    private static readonly DateTime DateAnchor = new(2024, 6, 15, 12, 0, 0, DateTimeKind.Utc);
    private const int DateSpreadSeconds = 2 * 365 * 24 * 3600;

    private static readonly ConditionalWeakTable<Randomizer, PlausibleValues> PerRandomizer = new();

    private static readonly string[] Languages = ["English", "French", "German", "Spanish", "Japanese", "Portuguese", "Italian"];
    private static readonly string[] Locales = ["en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "ja-JP", "pt-BR"];
    private static readonly string[] EmailDomains = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "example.com"];
    private static readonly string[] DomainSuffixes = ["com", "net", "org", "io", "biz", "info", "co"];
    private static readonly string[] CompanySuffixes = ["Inc", "LLC", "Group", "and Sons", "Ltd"];
    private static readonly string[] FileExtensions = ["pdf", "txt", "csv", "json", "png", "jpg", "docx", "xlsx"];
    private static readonly string[] Directories = ["home", "var", "tmp", "opt", "srv", "data", "usr/local"];
    private static readonly string[] MimeTypes = ["application/json", "application/pdf", "text/plain", "text/csv", "image/png", "image/jpeg", "text/html"];
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    ];

    private readonly Randomizer _random;
    private Lorem? _lorem;
    private Name? _name;
    private Address? _address;
    private Commerce? _commerce;
    private PhoneNumbers? _phone;
    private Finance? _finance;
    private Date? _date;

    private PlausibleValues(Randomizer random) => _random = random;

    /// <summary>The values drawing from <paramref name="random"/>, made once per randomizer.</summary>
    public static PlausibleValues For(Randomizer random) => PerRandomizer.GetValue(random, r => new PlausibleValues(r));

    private Lorem LoremSet => _lorem ??= new Lorem("en") { Random = _random };
    private Name NameSet => _name ??= new Name("en") { Random = _random };
    private Address AddressSet => _address ??= new Address("en") { Random = _random };
    private Commerce CommerceSet => _commerce ??= new Commerce("en") { Random = _random };
    private PhoneNumbers PhoneSet => _phone ??= new PhoneNumbers("en") { Random = _random };
    private Finance FinanceSet => _finance ??= new Finance { Random = _random };
    private Date DateSet => _date ??= new Date("en") { Random = _random };

    /// <summary>A value for a known <c>format</c>, or null when the format is not one we generate.</summary>
    public string? ForFormat(string format) => format switch
    {
        "date-time" => RandomInstant().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        "date" => RandomInstant().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "time" => RandomInstant().ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        "email" or "idn-email" => Email(),
        "uri" or "url" or "iri" => _random.Bool() ? Url() : UrlWithPath(),
        "uri-reference" or "iri-reference" => UrlWithPath(),
        "uuid" or "guid" => _random.Uuid().ToString("D"),
        "hostname" or "idn-hostname" => DomainName(),
        "ipv4" => Ipv4(),
        "ipv6" => Ipv6(),
        "duration" => Duration(),
        "json-pointer" => "/" + LoremSet.Word() + "/" + _random.Number(0, 9).ToString(CultureInfo.InvariantCulture),
        "relative-json-pointer" => _random.Number(0, 3).ToString(CultureInfo.InvariantCulture) + "/" + LoremSet.Word(),
        "regex" => "^[a-z]+$",
        "uri-template" => Url() + "/{id}",
        _ => null,
    };

    /// <summary>A string that reads like what a property of this name would hold.</summary>
    public string ForName(string? name)
    {
        var key = Normalize(name);
        if (key.Length == 0)
        {
            return Words(1, 3);
        }

        // Order matters: the more specific names come before the general ones they contain.
        if (key.Contains("email")) return Email();
        if (key is "url" or "uri" or "link" or "website" or "homepage" || key.EndsWith("url", StringComparison.Ordinal) || key.EndsWith("uri", StringComparison.Ordinal)) return Url();
        if (key is "username" or "login" or "handle" or "screenname") return UserName();
        if (key.Contains("firstname") || key.Contains("givenname")) return NameSet.FirstName();
        if (key.Contains("lastname") || key.Contains("surname") || key.Contains("familyname")) return NameSet.LastName();
        if (key.Contains("company") || key.Contains("organization") || key.Contains("organisation") || key is "org" or "employer" or "vendor") return CompanyName();
        if (key.Contains("product") || key is "item" or "itemname") return CommerceSet.ProductName();
        if (key.Contains("filename") || key is "file") return FileName();
        if (key.Contains("path") || key is "directory" or "dir" or "folder") return "/" + _random.ArrayElement(Directories) + "/" + FileName();
        if (key.Contains("city") || key is "town") return City();
        if (key.Contains("location") || key is "place" or "destination" or "origin") return City() + ", " + AddressSet.StateAbbr();
        if (key.Contains("address") || key.Contains("street")) return StreetAddress();
        if (key.Contains("countrycode")) return AddressSet.CountryCode();
        if (key.Contains("country")) return AddressSet.Country();
        if (key is "state" or "province" or "region") return AddressSet.State();
        if (key.Contains("zip") || key.Contains("postal") || key.Contains("postcode")) return AddressSet.ZipCode("#####");
        if (key.Contains("phone") || key is "mobile" or "telephone") return PhoneSet.PhoneNumber("###-###-####");
        if (key.Contains("timezone") || key is "tz") return DateSet.TimeZoneString();
        if (key.Contains("datetime") || key.Contains("timestamp") || key.EndsWith("time", StringComparison.Ordinal) || IsInstantName(name)) return ForFormat("date-time")!;
        if (key.Contains("date") || key is "birthday" or "dob") return ForFormat("date")!;
        if (key is "id" or "uuid" or "guid" || (name is not null && (name.EndsWith("_id", StringComparison.Ordinal) || name.EndsWith("Id", StringComparison.Ordinal)))) return _random.Uuid().ToString("D");
        if (key is "ip" or "ipaddress") return Ipv4();
        if (key is "domain" or "host" or "hostname") return DomainName();
        if (key.Contains("name")) return NameSet.FullName();
        if (key.Contains("color") || key.Contains("colour")) return CommerceSet.Color();
        if (key.Contains("currency")) return FinanceSet.Currency().Code;
        if (key is "locale") return _random.ArrayElement(Locales);
        if (key is "language" or "lang") return _random.ArrayElement(Languages);
        if (key is "symbol" or "ticker") return _random.String2(_random.Number(3, 4), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        if (key is "password" or "secret") return Password();
        if (key is "version") return string.Join('.', _random.Number(0, 9), _random.Number(0, 20), _random.Number(0, 30));
        if (key is "mimetype" or "contenttype") return _random.ArrayElement(MimeTypes);
        if (key is "useragent") return _random.ArrayElement(UserAgents);
        if (key is "department" or "category" or "genre") return CommerceSet.Department(1);
        if (key is "title" or "subject" or "headline" or "summary") return Sentence(3, 6, period: false);
        if (key is "query" or "search" or "keyword" or "keywords" or "q" or "prompt" or "question" or "topic" or "term") return Words(1, 4);
        if (key.Contains("description") || key is "text" or "content" or "body" or "message" or "comment" or "note" or "notes" or "reason" or "instructions" or "details") return Sentence(5, 12, period: true);
        return Words(1, 3);
    }

    /// <summary>A believable numeric range for a property name, or null when the name says nothing.</summary>
    public static NumericHint? RangeForName(string? name)
    {
        var key = Normalize(name);
        return key switch
        {
            "lat" or "latitude" => new NumericHint(-90, 90, 4),
            "lon" or "lng" or "long" or "longitude" => new NumericHint(-180, 180, 4),
            "age" => new NumericHint(18, 90, 0),
            "year" => new NumericHint(1990, 2030, 0),
            "month" => new NumericHint(1, 12, 0),
            "day" => new NumericHint(1, 28, 0),
            "hour" or "hours" => new NumericHint(0, 23, 0),
            "minute" or "minutes" or "second" or "seconds" => new NumericHint(0, 59, 0),
            "rating" or "stars" => new NumericHint(1, 5, 1),
            "percent" or "percentage" => new NumericHint(0, 100, 1),
            "temperature" or "temp" => new NumericHint(-10, 40, 1),
            "page" => new NumericHint(1, 10, 0),
            "count" or "quantity" or "qty" or "limit" or "n" or "num" or "size" or "pagesize" or "topk" or "maxresults" or "numresults" => new NumericHint(1, 20, 0),
            _ when key.Contains("price") || key.Contains("amount") || key.Contains("cost") || key.Contains("total") => new NumericHint(1, 500, 2),
            _ => null,
        };
    }

    public string Words(int min, int max) => string.Join(' ', LoremSet.Words(_random.Number(min, max)));

    public string Word() => LoremSet.Word();

    /// <summary>Pads or cuts a string so its length lies within [min, max].</summary>
    public string FitLength(string value, int min, int max)
    {
        if (value.Length > max)
        {
            value = value[..max];
            if (value.Length > min && value[^1] == ' ')
            {
                value = value[..^1];
            }
        }

        if (value.Length < min)
        {
            var builder = new System.Text.StringBuilder(value, min + 16);
            while (builder.Length < min)
            {
                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(LoremSet.Word());
            }

            value = builder.ToString(0, Math.Min(builder.Length, max));
            if (value.Length < min)
            {
                value = value.PadRight(min, 'x');
            }
        }

        return value;
    }

    // Bogus builds cities, streets, companies, user names and emails through its template engine,
    // which looks methods up by reflection on every call; composing them from its word lists gives
    // the same look at a fraction of the cost on the tool-call path.

    private string FileName() => LoremSet.Word() + "_" + LoremSet.Word() + "." + _random.ArrayElement(FileExtensions);

    private string Ipv4() => string.Join('.', _random.Number(1, 223), _random.Number(0, 255), _random.Number(0, 255), _random.Number(1, 254));

    private string Ipv6() => string.Join(':', Enumerable.Range(0, 8).Select(_ => _random.String2(4, "0123456789abcdef")));

    private string City() => _random.Number(0, 3) switch
    {
        0 => AddressSet.CityPrefix() + " " + NameSet.FirstName() + AddressSet.CitySuffix(),
        1 => AddressSet.CityPrefix() + " " + NameSet.FirstName(),
        2 => NameSet.FirstName() + AddressSet.CitySuffix(),
        _ => NameSet.LastName() + AddressSet.CitySuffix(),
    };

    private string StreetAddress() =>
        _random.Number(1, 9999).ToString(CultureInfo.InvariantCulture) + " "
        + (_random.Bool() ? NameSet.FirstName() : NameSet.LastName()) + " " + AddressSet.StreetSuffix();

    private string CompanyName() => _random.Number(0, 2) switch
    {
        0 => NameSet.LastName() + " " + _random.ArrayElement(CompanySuffixes),
        1 => NameSet.LastName() + "-" + NameSet.LastName(),
        _ => NameSet.LastName() + ", " + NameSet.LastName() + " and " + NameSet.LastName(),
    };

    private string UserName()
    {
        var first = Atom(NameSet.FirstName());
        return _random.Number(0, 2) switch
        {
            0 => first + _random.Number(1, 99).ToString(CultureInfo.InvariantCulture),
            1 => first + "." + Atom(NameSet.LastName()),
            _ => first + "_" + Atom(NameSet.LastName()),
        };
    }

    private string Email() => UserName() + "@" + _random.ArrayElement(EmailDomains);

    private string DomainName() => Atom(NameSet.LastName()).ToLowerInvariant() + "." + _random.ArrayElement(DomainSuffixes);

    private string Url() => "https://" + DomainName();

    private string UrlWithPath() => Url() + "/" + LoremSet.Word() + "/" + LoremSet.Word();

    private string Password() =>
        _random.String2(1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + _random.String2(1, "abcdefghijklmnopqrstuvwxyz")
        + _random.String2(1, "0123456789") + _random.AlphaNumeric(9);

    private string Sentence(int minWords, int maxWords, bool period)
    {
        var text = string.Join(' ', LoremSet.Words(_random.Number(minWords, maxWords)));
        text = char.ToUpperInvariant(text[0]) + text[1..];
        return period ? text + "." : text;
    }

    /// <summary>Letters and digits only, so a name like O'Keefe is safe in an email or a host.</summary>
    private static string Atom(string value) => string.Concat(value.Where(char.IsAsciiLetterOrDigit)) is { Length: > 0 } atom ? atom : "user";

    private string Duration() => _random.Number(0, 3) switch
    {
        0 => "PT" + _random.Number(1, 59).ToString(CultureInfo.InvariantCulture) + "M",
        1 => "PT" + _random.Number(1, 12).ToString(CultureInfo.InvariantCulture) + "H",
        2 => "P" + _random.Number(1, 30).ToString(CultureInfo.InvariantCulture) + "D",
        _ => "P" + _random.Number(1, 9).ToString(CultureInfo.InvariantCulture) + "DT" + _random.Number(1, 23).ToString(CultureInfo.InvariantCulture) + "H",
    };

    private DateTime RandomInstant() => DateAnchor.AddSeconds(_random.Number(-DateSpreadSeconds, DateSpreadSeconds));

    /// <summary>created_at, updatedAt: names that hold a moment in time.</summary>
    private static bool IsInstantName(string? name) =>
        name is not null && (name.EndsWith("_at", StringComparison.Ordinal) || (name.EndsWith("At", StringComparison.Ordinal) && name.Length > 2));

    private static string Normalize(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return string.Empty;
        }

        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }
}

/// <summary>A believable range for a number named after something, and how many decimals to keep.</summary>
internal readonly record struct NumericHint(decimal Min, decimal Max, int Decimals);
