using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace VipEntry.Core.EfCore;

/// <summary>
/// The store's statements for one entity type of one model: text produced once per (operation, shape) from EF's metadata
/// (table, schema and column names as the host's model maps them) and the provider's quoting, with parameters typed by
/// the properties' own type mappings (so their value converters apply), as cached <see cref="IRelationalCommand"/>s.
/// They run through EF's relational command pipeline: the host's command interceptors and logging see them, and they
/// join the context's current transaction.
/// </summary>
/// <remarks>
/// A statement's shape depends on which compared values are <see langword="null"/> (<c>col IS NULL</c> rather than
/// <c>col = @p</c>, as EF's <c>==</c> on a nullable parameter produces) and on a few structural choices; each shape is
/// built the first time it is needed and reused for the model's lifetime. Unavailable (the store keeps its LINQ path) when
/// the entity type is not the only type of a plain table (inheritance, views, entity splitting) or has query filters, which
/// raw statements would not apply.
/// </remarks>
internal sealed class VipEntryStatements
{
    // Per EF internal service provider (one per distinct options set: its command builder factory is a singleton there,
    // and carries that set's logging options, as EF's own query cache is per provider), then per entity type of a model.
    private static readonly ConditionalWeakTable<IRelationalCommandBuilderFactory, ConcurrentDictionary<IEntityType, VipEntryStatements?>> ByProvider = new();

    private readonly ConcurrentDictionary<long, Statement> _statements = new();
    private readonly Dictionary<string, (string Column, RelationalTypeMapping Mapping, bool Nullable)> _columns;
    private readonly IRelationalCommandBuilderFactory _commands;
    private readonly ISqlGenerationHelper _sql;
    private readonly RelationalCommandBuilderDependencies? _prepared;
    private readonly RelationalTypeMapping _unboundedText;

    private VipEntryStatements(
        string table,
        Dictionary<string, (string Column, RelationalTypeMapping Mapping, bool Nullable)> columns,
        IRelationalCommandBuilderFactory commands,
        ISqlGenerationHelper sql,
        bool isPostgres,
        bool isSqlite,
        RelationalCommandBuilderDependencies? prepared,
        RelationalTypeMapping unboundedText)
    {
        _unboundedText = unboundedText;
        Table = table;
        _columns = columns;
        _commands = commands;
        _sql = sql;
        IsPostgres = isPostgres;
        IsSqlite = isSqlite;
        _prepared = prepared;
    }

    /// <summary>The delimited (schema-qualified) table name.</summary>
    public string Table { get; }

    /// <summary>Whether the provider is Npgsql.</summary>
    public bool IsPostgres { get; }

    /// <summary>Whether the provider is Microsoft.Data.Sqlite.</summary>
    public bool IsSqlite { get; }

    /// <summary>The statements of <paramref name="map"/>'s entity type in <paramref name="context"/>'s model, or <see langword="null"/> when raw statements cannot stand for LINQ there.</summary>
    public static VipEntryStatements? For(DbContext context, VipEntryEntityMapping map)
    {
        var factory = context.GetService<IRelationalCommandBuilderFactory>();
        var byEntityType = ByProvider.GetValue(factory, _ => new ConcurrentDictionary<IEntityType, VipEntryStatements?>());
        return byEntityType.TryGetValue(map.EntityType, out var statements)
            ? statements
            : byEntityType.GetOrAdd(map.EntityType, Create(context, map, factory));
    }

    /// <summary>The delimited column of <paramref name="property"/>.</summary>
    public string Column(string property) => _columns[property].Column;

    /// <summary>
    /// Whether <paramref name="property"/> is mapped as the store maps its own columns: a plain 64-bit integer (no value
    /// converter) for <paramref name="instant"/> <see langword="false"/>, the store's UTC instant converter for
    /// <see langword="true"/>. Only then may a statement write the column's stored form itself (the JSON-bound bulk insert).
    /// </summary>
    public bool IsOwnMapping(string property, bool instant) => _columns[property].Mapping switch
    {
        { Converter: UtcDateTimeOffsetConverter } => instant,
        { Converter: null } mapping => !instant && mapping.ClrType == typeof(long),
        _ => false,
    };

    /// <summary>
    /// The model value of <paramref name="property"/> returned in column <paramref name="ordinal"/> (a RETURNING or SELECT of
    /// its column): read the way its type mapping reads it (as its provider type), then through its value converter, as EF's
    /// own queries read it. Never a raw <c>GetInt64</c>: a host's id may be stored as text, or as another type, through a
    /// converter of its own. <see langword="null"/> for SQL NULL.
    /// </summary>
    public object? Read(DbDataReader data, int ordinal, string property)
    {
        if (data.IsDBNull(ordinal))
        {
            return null;
        }

        var mapping = _columns[property].Mapping;
        var value = mapping.GetDataReaderMethod().Invoke(data, BindingFlags.DoNotWrapExceptions, binder: null, [ordinal], culture: null);
        return mapping.Converter is { } converter ? converter.ConvertFromProvider(value) : value;
    }

    /// <summary>
    /// The statement of <paramref name="key"/>, built by <paramref name="compose"/> the first time. A statement of fixed
    /// text (<paramref name="prepare"/>: a single-row transition, not a bulk statement whose text varies with its batch) is
    /// prepared on PostgreSQL unless the model turned that off (<see cref="VipEntryPreparedCommand"/>).
    /// </summary>
    public Statement Get<TState>(long key, TState state, Action<Writer, TState> compose, bool prepare = false)
    {
        if (_statements.TryGetValue(key, out var statement))
        {
            return statement;
        }

        var writer = new Writer(this, build: true);
        compose(writer, state);
        return _statements.GetOrAdd(key, writer.Build(prepare ? _prepared : null));
    }

    private static VipEntryStatements? Create(DbContext context, VipEntryEntityMapping map, IRelationalCommandBuilderFactory factory)
    {
        var entityType = map.EntityType;
        var table = entityType.GetTableName();
        if (table is null
            || entityType.GetViewName() is not null
            || entityType.GetSqlQuery() is not null
            || entityType.GetFunctionName() is not null
            || entityType.BaseType is not null
            || entityType.GetDirectlyDerivedTypes().Any()
            || entityType.GetDeclaredQueryFilters().Count > 0
            || entityType.GetMappingFragments().Any())
        {
            return null;
        }

        var sql = context.GetService<ISqlGenerationHelper>();
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var columns = new Dictionary<string, (string, RelationalTypeMapping, bool)>(StringComparer.Ordinal);
        string[] properties =
        [
            map.IdProperty, map.EndProperty, VipEntryPropertyNames.Stage, VipEntryPropertyNames.TokenHash, VipEntryPropertyNames.IssuedAt,
            VipEntryPropertyNames.InviteLink, VipEntryPropertyNames.LapseHandledAt, VipEntryPropertyNames.LapseClaim,
            VipEntryPropertyNames.LapseLeaseUntil, VipEntryPropertyNames.LapseLink, VipEntryPropertyNames.StageEnteredAt,
            VipEntryPropertyNames.StageNudgedAt, VipEntryPropertyNames.GrantNudgedAt,
        ];
        foreach (var name in properties)
        {
            var property = entityType.FindProperty(name);
            var column = property?.GetColumnName(store);
            if (property is null || column is null)
            {
                return null;
            }

            columns[name] = (sql.DelimitIdentifier(column), property.GetRelationalTypeMapping(), property.IsNullable);
        }

        var provider = context.Database.ProviderName;
        var isPostgres = provider == "Npgsql.EntityFrameworkCore.PostgreSQL";
        var prepare = isPostgres && entityType.FindAnnotation(VipEntryAnnotations.PrepareStatements)?.Value is not false;
        return new VipEntryStatements(
            sql.DelimitIdentifier(table, entityType.GetSchema()),
            columns,
            factory,
            sql,
            isPostgres,
            provider == "Microsoft.EntityFrameworkCore.Sqlite",
            prepare ? context.GetService<RelationalCommandBuilderDependencies>() : null,
            context.GetService<IRelationalTypeMappingSource>().FindMapping(typeof(string))!);
    }

    /// <summary>A built statement: its command (text + typed parameters).</summary>
    internal sealed class Statement(IRelationalCommand command, int parameterCount)
    {
        public IRelationalCommand Command { get; } = command;

        public int ParameterCount { get; } = parameterCount;

        /// <summary>Whether the command prepares itself: the connection must be open before it is created.</summary>
        public bool Prepared => Command is VipEntryPreparedCommand;
    }

    /// <summary>
    /// Writes one statement. Every operation composes its statement with the same calls every time: to bind (collect the
    /// values and the shape key, no text) and, the first time a shape is seen, to build (text and parameters). So the text
    /// and the values can never disagree.
    /// </summary>
    internal sealed class Writer
    {
        private readonly VipEntryStatements _owner;
        private readonly StringBuilder? _text;
        private readonly IRelationalCommandBuilder? _command;
        private readonly List<object?> _values = new(12);
        private int _parameters;

        public Writer(VipEntryStatements owner, bool build)
        {
            _owner = owner;
            if (build)
            {
                _text = new StringBuilder(256);
                _command = owner._commands.Create();
            }
        }

        /// <summary>The shape: one bit per nullable comparison and structural choice, in call order.</summary>
        public long Shape { get; private set; }

        private int Bits { get; set; }

        public IReadOnlyList<object?> Values => _values;

        /// <summary>The delimited table.</summary>
        public string Table => _owner.Table;

        /// <summary><c>UPDATE table SET </c>.</summary>
        public Writer Update() => Text("UPDATE ").Text(_owner.Table).Text(" SET ");

        public void Reset()
        {
            _values.Clear();
            _parameters = 0;
            Shape = 0;
            Bits = 0;
        }

        /// <summary>Adds a structural choice to the shape and returns it.</summary>
        public bool Flag(bool value)
        {
            if (value)
            {
                Shape |= 1L << Bits;
            }

            Bits++;
            return value;
        }

        public Writer Text(string text)
        {
            _text?.Append(text);
            return this;
        }

        /// <summary>The delimited column of <paramref name="property"/>.</summary>
        public Writer Col(string property) => Text(_owner.Column(property));

        /// <summary>A parameter typed by <paramref name="property"/>'s mapping, with <paramref name="value"/> (a model value: its converter applies).</summary>
        public Writer Param(string property, object? value)
        {
            _values.Add(value);
            var index = _parameters++;
            if (_command is not null)
            {
                var (_, mapping, nullable) = _owner._columns[property];
                var name = ParameterValues.NameOf(index);
                var sqlName = _owner._sql.GenerateParameterName(name);
                _command.AddParameter(name, sqlName, mapping, nullable);
                _text!.Append(_owner._sql.GenerateParameterNamePlaceholder(name));
            }

            return this;
        }

        /// <summary>A text parameter of unbounded length (a JSON document), not typed by any column.</summary>
        public Writer TextParam(string value)
        {
            _values.Add(value);
            var index = _parameters++;
            if (_command is not null)
            {
                var name = ParameterValues.NameOf(index);
                _command.AddParameter(name, _owner._sql.GenerateParameterName(name), _owner._unboundedText, nullable: false);
                _text!.Append(_owner._sql.GenerateParameterNamePlaceholder(name));
            }

            return this;
        }

        /// <summary><c>col = @p</c>, or <c>col IS NULL</c> for a <see langword="null"/> value (EF's <c>==</c> on a nullable parameter).</summary>
        public Writer Equal(string property, object? value)
        {
            Col(property);
            return Flag(value is null) ? Text(" IS NULL") : Text(" = ").Param(property, value);
        }

        /// <summary><c>col = @p</c> in a SET list.</summary>
        public Writer Set(string property, object? value) => Col(property).Text(" = ").Param(property, value);

        /// <summary><c>col = NULL</c> in a SET list.</summary>
        public Writer SetNull(string property) => Col(property).Text(" = NULL");

        public Statement Build(RelationalCommandBuilderDependencies? prepared = null)
        {
            _command!.Append(_text!.ToString());
            var command = _command.Build();
            // Only EF's own command type is re-created as a preparing one (a provider's subclass is left as it is).
            if (prepared is not null && command.GetType() == typeof(RelationalCommand))
            {
                command = new VipEntryPreparedCommand(prepared, command.CommandText, command.LogCommandText, command.Parameters);
            }

            return new Statement(command, _parameters);
        }
    }

    /// <summary>The values of one execution, by the parameters' invariant names (<c>p0</c>, <c>p1</c>, …).</summary>
    internal sealed class ParameterValues(IReadOnlyList<object?> values) : IReadOnlyDictionary<string, object?>
    {
        private static readonly string[] Names = [.. Enumerable.Range(0, 64).Select(i => "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

        public int Count => values.Count;

        public IEnumerable<string> Keys => Enumerable.Range(0, values.Count).Select(NameOf);

        public IEnumerable<object?> Values => values;

        public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public static string NameOf(int index) =>
            index < Names.Length ? Names[index] : "p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
        {
            if (key.Length > 1 && key[0] == 'p' && int.TryParse(key.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < values.Count)
            {
                value = values[index];
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < values.Count; i++)
            {
                yield return new KeyValuePair<string, object?>(NameOf(i), values[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
