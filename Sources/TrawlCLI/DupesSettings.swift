/// `dupes`' own flags, read and checked before the scan starts: a wrong combination costs
/// no walk.
struct DupesSettings {
    var action: DupesAction?
    var keep: KeepRule
    var order: GroupOrder
    var dryRun: Bool
    var showSizes: Bool
    var summarize: Bool

    init(_ arguments: ParsedArguments) throws {
        action = try DupesAction.from(arguments)
        keep = try Self.choice(arguments, .keep, default: KeepRule.first)
        order = try Self.choice(arguments, .order, default: GroupOrder.name)
        dryRun = arguments.has(.dryRun)
        showSizes = arguments.has(.size)
        summarize = arguments.has(.summarize)
        if action == nil {
            for flag in [Flag.keep, .dryRun] where arguments.has(flag) {
                throw CommandError.message("--\(flag.rawValue) needs an action: --link, --symlink, --reflink or --delete")
            }
        }
    }

    static func choice<Choice: RawRepresentable & CaseIterable>(_ arguments: ParsedArguments, _ flag: Flag,
                                                                default fallback: Choice) throws -> Choice
        where Choice.RawValue == String {
        guard let value = arguments.value(flag) else { return fallback }
        guard let choice = Choice(rawValue: value) else {
            throw ArgumentError.invalidValue(flag: "--" + flag.rawValue, value: value,
                                             reason: "expected one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }
}
