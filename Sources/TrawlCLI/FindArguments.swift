/// fd's `-x COMMAND ARG... ;`: a flag whose value is the rest of the command line up to a
/// `;`. The shared parser knows flags with one value, so each such run is folded into one
/// `--exec=COMMAND<NUL>ARG...` argument first (NUL cannot occur in an argument).
enum FindArguments {
    static let execFlags: [String: String] = ["-x": "exec", "--exec": "exec", "-X": "exec-batch", "--exec-batch": "exec-batch"]
    static let separator: Character = "\u{0}"

    /// `arguments` with every exec run folded; flags after `--` are left alone.
    static func foldingCommands(_ arguments: [String]) -> [String] {
        var folded: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                folded.append(contentsOf: arguments[(index - 1)...])
                break
            }
            var long: String?
            var words: [String] = []
            if let flag = execFlags[argument] {
                long = flag
            } else if argument.hasPrefix("--exec=") || argument.hasPrefix("--exec-batch=") {
                let equals = argument.firstIndex(of: "=")!
                long = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
                words.append(String(argument[argument.index(after: equals)...]))
            }
            guard let long else {
                folded.append(argument)
                continue
            }
            while index < arguments.count, arguments[index] != ";" {
                words.append(arguments[index])
                index += 1
            }
            if index < arguments.count { index += 1 }  // the `;`
            // Nothing followed: left as the bare flag, so the parser reports the missing value.
            folded.append(words.isEmpty ? "--" + long : "--\(long)=" + words.joined(separator: String(separator)))
        }
        return folded
    }

    /// The words of one folded exec value.
    static func words(_ value: String) -> [String] {
        value.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}
