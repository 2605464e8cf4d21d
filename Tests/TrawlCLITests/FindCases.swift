// # fd's test suite against `trawl find`
//
// fd's `tests/tests.rs` (sharkdp/fd, 10.4.2, 102 test functions) is the specification of
// `trawl find`. Its inputs and expected outputs are ported into `FindPatternTests.swift`,
// `FindFilterTests.swift`, `FindOutputTests.swift` and `FindExecTests.swift` (the test code
// is trawl's own: `FindTestCase.swift` rebuilds fd's `TestEnv`). A Swift test carries the fd
// test's name in camel case (`test_and_plus_glob` -> `testAndPlusGlob`).
//
// ## Ported: 93 of fd's 102 tests
//
// All pass, except two that fd itself skips when run as root and that skip here the same
// way when the tests run as root (`testTypeExecutable`, `testOwnerRoot`; access(2) grants
// root everything). `testTypeExecutableSkipsFilesWithoutExecuteBits` covers `-t x` as root.
//
// Ported with a change of spelling (the behaviour is fd's; the alias is not in trawl):
//
// | fd test | change |
// | --- | --- |
// | test_modified_relative | `--change-older-than` (fd's alias) written `--changed-before` |
// | test_modified_absolute | `--change-newer-than` (fd's alias) written `--changed-within`; two date forms added |
// | test_quiet | `--has-results` (fd's alias of `-q`) left out; `-q` and `--quiet` ported |
// | test_number_parsing_errors | `--mindepth`, `--maxdepth` (fd's hidden aliases) and `--max-buffer-time` (fd's hidden tuning flag) left out; the other seven cases ported |
// | test_multi_file_with_missing, test_pattern_with_forward_slash_is_rejected, test_and_pattern_with_forward_slash_is_rejected, test_exec_batch, test_error_if_hidden_not_set_and_pattern_starts_with_dot | the same failures, with trawl's messages (`trawl: search path 'fake' is not a directory`, ...) instead of fd's `[fd error]: ...` and clap's text |
// | test_git_dir | see below: only the assertions that hold for the shared walker |
//
// ## Not applicable (9)
//
// | fd test | why |
// | --- | --- |
// | test_hidden_file_attribute | Windows only (the hidden file attribute). |
// | test_hyperlink | `--hyperlink` (OSC 8 links) is not part of the issue and not implemented. |
// | test_ignore_contain, test_ignore_contain_precedence_over_depth_check, test_ignore_contain_precedence_over_root_check | `--ignore-contain` (skip directories holding a marker file, fd 10.3) is not part of the issue and not implemented. |
// | test_git_dir (partly) | fd lists the contents of `.git` with `--hidden`; trawl's shared walker never yields or enters `.git` (ripgrep's rule, the same for every trawl command, and the issue asks for the walker's ignore rules). `testGitDir` keeps `--no-ignore foo` -> nothing (fd's own expectation) and pins the difference. |
// | format (fd's `format` test function) | ported as `testFormat`; counted among the 93. |
// | test_opposing | ported as one test over its 8 cases (`testOpposing`); counted among the 93. |
// | test_no_global_ignore | ported as one test over its 3 cases; counted among the 93. |
//
// (The last three rows are not exclusions: fd writes them as parameterised tests, trawl as one
// test each.)
//
// Exclusions proper: 5 tests (hidden file attribute, hyperlink, the three ignore-contain
// tests), plus fd's `.git` listing within test_git_dir.
