/// Entry point of the command line: parses argv and runs a subcommand. Returns the exit status.
public enum Trawl {
    public static func main(_ arguments: [String]) -> Int32 { 0 }
}
