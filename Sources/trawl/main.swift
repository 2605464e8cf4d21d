import TrawlCLI
#if canImport(Glibc)
import Glibc
#endif

exit(Trawl.main(Array(CommandLine.arguments.dropFirst())))
