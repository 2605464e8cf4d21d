import Printer
import XCTest

/// `--colors` specs applied as ripgrep applies them, refused in its words.
final class ColorPaletteTests: XCTestCase {
    func testSpecsChangeTheEscapesWritten() throws {
        var palette = ColorPalette.ripgrepDefault
        try palette.apply("match:fg:blue")
        try palette.apply("match:style:nobold")
        try palette.apply("path:bg:0x10,20,0x30")
        try palette.apply("line:fg:200")
        XCTAssertEqual(String(decoding: palette.match, as: UTF8.self), "\u{1b}[0m\u{1b}[34m")
        XCTAssertEqual(String(decoding: palette.path, as: UTF8.self), "\u{1b}[0m\u{1b}[35m\u{1b}[48;2;16;20;48m")
        XCTAssertEqual(String(decoding: palette.line, as: UTF8.self), "\u{1b}[0m\u{1b}[38;5;200m")
        try palette.apply("match:none")
        XCTAssertEqual(palette.match, [], "a match with no style is left uncoloured")
        XCTAssertNotEqual(palette, .ripgrepDefault)
    }

    func testBadSpecsAreRefusedWithRipgrepsReason() {
        var palette = ColorPalette.ripgrepDefault
        for (spec, reason) in [("match", "expected TYPE:ATTRIBUTE:VALUE or TYPE:none"),
                               ("title:fg:red", "unrecognized output type 'title'. Choose from: path, line, column, match"),
                               ("match:fg:mauve", "unrecognized color name 'mauve'. Choose from: black, blue, green, red, cyan, magenta, yellow, white"),
                               ("match:fg:300", "invalid color '300': expected 0-255 or R,G,B"),
                               ("match:blink:on", "unrecognized spec type 'blink'. Choose from: fg, bg, style, none")] {
            XCTAssertThrowsError(try palette.apply(spec), spec) { error in
                XCTAssertEqual((error as? ColorSpecError)?.reason, reason, spec)
            }
        }
        XCTAssertEqual(palette, .ripgrepDefault, "a refused spec changes nothing")
    }
}
