namespace VipEntry.Core.EfCore.Tests.Infrastructure;

public sealed class PostgresReadyMadeBackend() : ReadyMadeBackend(DatabaseEngine.Postgres);
