//! RFC 6455 framing, sans-IO: [`FrameDecoder`] turns client bytes into
//! messages and control frames, enforcing every rule a server must, and
//! [`encode_frame`] writes server frames.
//!
//! Refusals carry the close code to answer with: 1002 (protocol error) for
//! an unmasked frame, reserved bits, an unknown opcode, a control frame that
//! is fragmented or longer than 125 bytes, a continuation without a message
//! (or a new message inside one), a non-minimal length, and an invalid close
//! code in the peer's close frame (RFC 6455 section 7.4); 1007 for a text
//! message or close reason that is not UTF-8; 1009 for a message over the
//! size cap, refused as soon as a frame header announces it.

/// Opcodes (RFC 6455 section 5.2).
pub const OP_CONTINUATION: u8 = 0x0;
pub const OP_TEXT: u8 = 0x1;
pub const OP_BINARY: u8 = 0x2;
pub const OP_CLOSE: u8 = 0x8;
pub const OP_PING: u8 = 0x9;
pub const OP_PONG: u8 = 0xA;

/// Close codes this server sends.
pub const CLOSE_NORMAL: u16 = 1000;
pub const CLOSE_GOING_AWAY: u16 = 1001;
pub const CLOSE_PROTOCOL_ERROR: u16 = 1002;
pub const CLOSE_UNSUPPORTED_DATA: u16 = 1003;
/// Reported to `onClose` when the peer's close frame had no code.
pub const CLOSE_NO_STATUS: u16 = 1005;
/// Reported to `onClose` when the connection ended without a close frame.
pub const CLOSE_ABNORMAL: u16 = 1006;
pub const CLOSE_INVALID_DATA: u16 = 1007;
pub const CLOSE_TOO_BIG: u16 = 1009;
pub const CLOSE_INTERNAL_ERROR: u16 = 1011;

/// Largest control-frame payload.
const MAX_CONTROL: usize = 125;

/// Why the peer broke the protocol, and the code to close with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolError {
    pub code: u16,
    pub why: &'static str,
}

fn err(code: u16, why: &'static str) -> ProtocolError {
    ProtocolError { code, why }
}

/// What a complete frame meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A data frame that does not finish its message (nothing to do yet).
    Fragment,
    /// A complete text message (valid UTF-8): [`FrameDecoder::payload`].
    Text,
    /// A complete binary message: [`FrameDecoder::payload`].
    Binary,
    /// A ping: answer with a pong carrying [`FrameDecoder::payload`].
    Ping,
    Pong,
    /// The peer's close, with a valid code (1005 when it sent none); the
    /// reason is [`FrameDecoder::payload`] after the first two bytes.
    Close {
        code: u16,
    },
}

/// One decoding step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// More bytes are needed.
    Partial,
    /// A frame of `consumed` bytes was decoded.
    Frame { consumed: usize, frame: Frame },
}

/// Whether a close code may appear in a close frame (RFC 6455 section 7.4:
/// 1000-1003, 1007-1014 registered for use, 3000-4999 for libraries and
/// applications; 1004-1006 and 1015 must never be sent).
pub fn valid_close_code(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// Decoder state for one connection: the message being reassembled.
#[derive(Debug)]
pub struct FrameDecoder {
    max_message: usize,
    /// The opcode of an unfinished fragmented message.
    open: Option<u8>,
    /// The current message (or control frame) payload, unmasked.
    payload: Vec<u8>,
    /// Payload length of the control frame just decoded (it is appended
    /// after an unfinished message's fragments and removed on the next call).
    control_len: Option<usize>,
}

impl FrameDecoder {
    pub fn new(max_message: usize) -> Self {
        Self {
            max_message,
            open: None,
            payload: Vec::new(),
            control_len: None,
        }
    }

    /// The payload of the frame or message just decoded.
    pub fn payload(&self) -> &[u8] {
        match self.control_len {
            Some(n) => &self.payload[self.payload.len() - n..],
            None => &self.payload,
        }
    }

    /// Decodes the next frame at the start of `input`.
    pub fn decode(&mut self, input: &[u8]) -> Result<Step, ProtocolError> {
        // Forget what the previous step handed out.
        if let Some(n) = self.control_len.take() {
            self.payload.truncate(self.payload.len() - n);
        } else if self.open.is_none() {
            self.payload.clear();
        }
        let [b0, b1, ..] = *input else {
            return Ok(Step::Partial);
        };
        let fin = b0 & 0x80 != 0;
        if b0 & 0x70 != 0 {
            return Err(err(
                CLOSE_PROTOCOL_ERROR,
                "reserved bits set (no extension was negotiated)",
            ));
        }
        let opcode = b0 & 0x0F;
        if b1 & 0x80 == 0 {
            return Err(err(CLOSE_PROTOCOL_ERROR, "client frames must be masked"));
        }
        let is_control = opcode & 0x8 != 0;
        match opcode {
            OP_CONTINUATION | OP_TEXT | OP_BINARY | OP_CLOSE | OP_PING | OP_PONG => {}
            _ => return Err(err(CLOSE_PROTOCOL_ERROR, "unknown opcode")),
        }
        if is_control && !fin {
            return Err(err(CLOSE_PROTOCOL_ERROR, "fragmented control frame"));
        }
        let (len, header) = match b1 & 0x7F {
            126 => {
                let Some(b) = input.get(2..4) else {
                    return Ok(Step::Partial);
                };
                let n = u16::from_be_bytes([b[0], b[1]]) as u64;
                if n < 126 {
                    return Err(err(CLOSE_PROTOCOL_ERROR, "non-minimal payload length"));
                }
                (n, 4)
            }
            127 => {
                let Some(b) = input.get(2..10) else {
                    return Ok(Step::Partial);
                };
                let n = u64::from_be_bytes(b.try_into().unwrap_or_default());
                if n >> 63 != 0 {
                    return Err(err(
                        CLOSE_PROTOCOL_ERROR,
                        "payload length has its top bit set",
                    ));
                }
                if n <= 0xFFFF {
                    return Err(err(CLOSE_PROTOCOL_ERROR, "non-minimal payload length"));
                }
                (n, 10)
            }
            n => (u64::from(n), 2),
        };
        if is_control && len > MAX_CONTROL as u64 {
            return Err(err(
                CLOSE_PROTOCOL_ERROR,
                "control frame longer than 125 bytes",
            ));
        }
        match (opcode, self.open) {
            (OP_CONTINUATION, None) => {
                return Err(err(
                    CLOSE_PROTOCOL_ERROR,
                    "continuation frame without a message",
                ));
            }
            (OP_TEXT | OP_BINARY, Some(_)) => {
                return Err(err(
                    CLOSE_PROTOCOL_ERROR,
                    "new message before the last one finished",
                ));
            }
            _ => {}
        }
        if !is_control && (self.payload.len() as u64).saturating_add(len) > self.max_message as u64
        {
            return Err(err(CLOSE_TOO_BIG, "message larger than the size cap"));
        }
        let len = len as usize;
        let Some(rest) = input.get(header..) else {
            return Ok(Step::Partial);
        };
        let Some(body) = rest.get(4..4 + len) else {
            return Ok(Step::Partial);
        };
        let mask = [rest[0], rest[1], rest[2], rest[3]];
        let start = self.payload.len();
        self.payload
            .extend(body.iter().enumerate().map(|(i, b)| b ^ mask[i & 3]));
        let consumed = header + 4 + len;
        let frame = if is_control {
            self.control_len = Some(len);
            self.control(opcode, start)?
        } else if !fin {
            self.open.get_or_insert(opcode);
            Frame::Fragment
        } else {
            let kind = self.open.take().unwrap_or(opcode);
            if kind == OP_TEXT {
                if std::str::from_utf8(&self.payload).is_err() {
                    return Err(err(CLOSE_INVALID_DATA, "text message is not valid UTF-8"));
                }
                Frame::Text
            } else {
                Frame::Binary
            }
        };
        Ok(Step::Frame { consumed, frame })
    }

    fn control(&self, opcode: u8, start: usize) -> Result<Frame, ProtocolError> {
        let body = &self.payload[start..];
        Ok(match opcode {
            OP_PING => Frame::Ping,
            OP_PONG => Frame::Pong,
            _ => match body {
                [] => Frame::Close {
                    code: CLOSE_NO_STATUS,
                },
                [_] => {
                    return Err(err(
                        CLOSE_PROTOCOL_ERROR,
                        "close frame with a 1-byte payload",
                    ));
                }
                [a, b, reason @ ..] => {
                    let code = u16::from_be_bytes([*a, *b]);
                    if !valid_close_code(code) {
                        return Err(err(CLOSE_PROTOCOL_ERROR, "invalid close code"));
                    }
                    if std::str::from_utf8(reason).is_err() {
                        return Err(err(CLOSE_INVALID_DATA, "close reason is not valid UTF-8"));
                    }
                    Frame::Close { code }
                }
            },
        })
    }
}

/// Appends one unmasked, final server frame.
pub fn encode_frame(out: &mut Vec<u8>, opcode: u8, payload: &[u8]) {
    out.push(0x80 | opcode);
    let n = payload.len();
    if n < 126 {
        out.push(n as u8);
    } else if n <= 0xFFFF {
        out.push(126);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(127);
        out.extend_from_slice(&(n as u64).to_be_bytes());
    }
    out.extend_from_slice(payload);
}

/// Appends a close frame with `code` and a reason (cut to fit 125 bytes on
/// a character boundary).
pub fn encode_close(out: &mut Vec<u8>, code: u16, reason: &str) {
    let mut end = reason.len().min(MAX_CONTROL - 2);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let mut payload = Vec::with_capacity(2 + end);
    payload.extend_from_slice(&code.to_be_bytes());
    payload.extend_from_slice(&reason.as_bytes()[..end]);
    encode_frame(out, OP_CLOSE, &payload);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A masked client frame.
    pub(crate) fn client_frame(fin: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![if fin { 0x80 } else { 0 } | opcode];
        let n = payload.len();
        if n < 126 {
            out.push(0x80 | n as u8);
        } else if n <= 0xFFFF {
            out.push(0x80 | 0x7E);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            out.push(0x80 | 0x7F);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
        let mask = [0x37, 0xFA, 0x21, 0x3D];
        out.extend_from_slice(&mask);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i & 3]));
        out
    }

    fn one(d: &mut FrameDecoder, bytes: &[u8]) -> Result<Frame, ProtocolError> {
        match d.decode(bytes)? {
            Step::Frame { consumed, frame } => {
                assert_eq!(consumed, bytes.len());
                Ok(frame)
            }
            Step::Partial => panic!("partial"),
        }
    }

    #[test]
    fn rfc_examples() {
        // RFC 6455 section 5.7: a masked "Hello".
        let hello = [
            0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ];
        let mut d = FrameDecoder::new(1024);
        assert_eq!(one(&mut d, &hello), Ok(Frame::Text));
        assert_eq!(d.payload(), b"Hello");
        let mut out = Vec::new();
        encode_frame(&mut out, OP_TEXT, b"Hello");
        assert_eq!(out, [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
        let mut big = Vec::new();
        encode_frame(&mut big, OP_BINARY, &[0; 256]);
        assert_eq!(&big[..4], &[0x82, 0x7E, 0x01, 0x00]);
        encode_frame(&mut big, OP_BINARY, &vec![0; 65536]);
        assert_eq!(&big[260..270], &[0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]);
    }

    #[test]
    fn fragments_with_a_ping_in_between() {
        let mut d = FrameDecoder::new(1024);
        assert_eq!(
            one(&mut d, &client_frame(false, OP_TEXT, b"Hel")),
            Ok(Frame::Fragment)
        );
        assert_eq!(
            one(&mut d, &client_frame(true, OP_PING, b"p")),
            Ok(Frame::Ping)
        );
        assert_eq!(d.payload(), b"p");
        assert_eq!(
            one(&mut d, &client_frame(false, OP_CONTINUATION, b"l")),
            Ok(Frame::Fragment)
        );
        assert_eq!(
            one(&mut d, &client_frame(true, OP_CONTINUATION, b"o")),
            Ok(Frame::Text)
        );
        assert_eq!(d.payload(), b"Hello");
        assert_eq!(
            one(&mut d, &client_frame(true, OP_BINARY, &[1, 2])),
            Ok(Frame::Binary)
        );
        assert_eq!(d.payload(), [1, 2]);
    }

    #[test]
    fn protocol_errors_have_their_codes() {
        let cases: Vec<(Vec<u8>, u16)> = vec![
            (
                {
                    let mut f = client_frame(true, OP_TEXT, b"x");
                    f[1] &= 0x7F;
                    f.drain(2..6);
                    f
                },
                1002,
            ),
            (
                {
                    let mut f = client_frame(true, OP_TEXT, b"x");
                    f[0] |= 0x40;
                    f
                },
                1002,
            ),
            (client_frame(true, 0x3, b""), 1002),
            (client_frame(false, OP_PING, b""), 1002),
            (client_frame(true, OP_PING, &[0; 126]), 1002),
            (client_frame(true, OP_CONTINUATION, b"x"), 1002),
            (client_frame(true, OP_TEXT, &[0xFF, 0xFE]), 1007),
            (client_frame(true, OP_BINARY, &[0; 1025]), 1009),
            (client_frame(true, OP_CLOSE, &[3]), 1002),
            (client_frame(true, OP_CLOSE, &1005u16.to_be_bytes()), 1002),
            (client_frame(true, OP_CLOSE, &999u16.to_be_bytes()), 1002),
            (client_frame(true, OP_CLOSE, &2000u16.to_be_bytes()), 1002),
            (client_frame(true, OP_CLOSE, &5000u16.to_be_bytes()), 1002),
            (client_frame(true, OP_CLOSE, &[0x03, 0xE8, 0xFF]), 1007),
            // 5 bytes announced with the 16-bit form.
            (
                vec![0x81, 0x80 | 0x7E, 0, 5, 0, 0, 0, 0, 1, 2, 3, 4, 5],
                1002,
            ),
        ];
        for (bytes, code) in cases {
            let mut d = FrameDecoder::new(1024);
            assert_eq!(d.decode(&bytes).map_err(|e| e.code), Err(code), "{bytes:?}");
        }
        // A new message inside a fragmented one.
        let mut d = FrameDecoder::new(1024);
        one(&mut d, &client_frame(false, OP_TEXT, b"a")).unwrap();
        assert_eq!(
            d.decode(&client_frame(true, OP_TEXT, b"b"))
                .map_err(|e| e.code),
            Err(1002)
        );
        // The cap counts all fragments, and is refused from the header alone.
        let mut d = FrameDecoder::new(4);
        one(&mut d, &client_frame(false, OP_TEXT, b"abc")).unwrap();
        let header_only = &client_frame(true, OP_CONTINUATION, b"de")[..2];
        assert_eq!(d.decode(header_only).map_err(|e| e.code), Err(1009));
    }

    #[test]
    fn close_codes() {
        let mut d = FrameDecoder::new(16);
        assert_eq!(
            one(&mut d, &client_frame(true, OP_CLOSE, b"")),
            Ok(Frame::Close { code: 1005 })
        );
        let mut payload = 4001u16.to_be_bytes().to_vec();
        payload.extend_from_slice("bye ✓".as_bytes());
        assert_eq!(
            one(&mut d, &client_frame(true, OP_CLOSE, &payload)),
            Ok(Frame::Close { code: 4001 })
        );
        assert_eq!(&d.payload()[2..], "bye ✓".as_bytes());
        for ok in [1000, 1003, 1007, 1011, 1014, 3000, 4999] {
            assert!(valid_close_code(ok), "{ok}");
        }
        for bad in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, u16::MAX] {
            assert!(!valid_close_code(bad), "{bad}");
        }
        let mut out = Vec::new();
        encode_close(&mut out, 1000, &"é".repeat(100));
        assert!(out.len() <= 2 + 125);
        assert!(std::str::from_utf8(&out[4..]).is_ok());
    }

    proptest! {
        #[test]
        fn byte_at_a_time_equals_whole(payload in proptest::collection::vec(any::<u8>(), 0..300), split in 0usize..400) {
            let frame = client_frame(true, OP_BINARY, &payload);
            let cut = split.min(frame.len());
            let mut d = FrameDecoder::new(1 << 20);
            if cut < frame.len() {
                prop_assert_eq!(d.decode(&frame[..cut]), Ok(Step::Partial));
            }
            prop_assert_eq!(d.decode(&frame), Ok(Step::Frame { consumed: frame.len(), frame: Frame::Binary }));
            prop_assert_eq!(d.payload(), &payload[..]);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut d = FrameDecoder::new(32);
            let mut rest = &bytes[..];
            while let Ok(Step::Frame { consumed, .. }) = d.decode(rest) {
                rest = &rest[consumed..];
            }
        }
    }
}
