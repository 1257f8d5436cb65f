using VipEntry.Core.EfCore.Tests.Infrastructure;

namespace VipEntry.Core.EfCore.Tests.Contract;

public sealed class SqliteReadyMadeChannelMembershipContractTests(SqliteReadyMadeBackend backend) : ChannelMembershipContractTests<SqliteReadyMadeBackend>(backend);
