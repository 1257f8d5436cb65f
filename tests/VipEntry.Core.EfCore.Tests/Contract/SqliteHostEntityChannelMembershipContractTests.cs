using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteHostEntityChannelMembershipContractTests(SqliteLegacyBackend backend) : ChannelMembershipContractTests<SqliteLegacyBackend>(backend);
