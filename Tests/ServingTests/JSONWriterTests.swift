import Foundation
@testable import Serving
import Testing

/// The hand-written JSON must be valid JSON and keep the numbers the API promises.
@Suite struct JSONWriterTests {
    @Test func writesValidJSONWithEscapesAndRoundedNumbers() throws {
        var json = JSONWriter()
        json.object { o in
            o.key("text"); o.string("quote \" backslash \\ newline \n tab \t bell \u{07} é")
            o.key("numbers")
            o.array { a in
                a.double(0.99812345678)
                a.double(1.0)
                a.double(0)
                a.double(1.23456789e-9)
                a.double(.nan)
                a.int(-42)
            }
            o.key("pixels"); o.ints([0, 9, 10, 99, 100, 255])
            o.key("empty"); o.object { _ in }
            o.key("flag"); o.bool(true)
        }
        let text = String(decoding: json.bytes, as: UTF8.self)
        #expect(text == #"{"text":"quote \" backslash \\ newline \n tab \t bell \u0007 é","numbers":[0.998123,1,0,1.23457e-09,null,-42],"pixels":[0,9,10,99,100,255],"empty":{},"flag":true}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(parsed["text"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é")
    }
}
