//! Byte ranges into the source text.

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    #[inline]
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// An empty span at `pos`.
    #[inline]
    pub const fn at(pos: u32) -> Self {
        Self {
            start: pos,
            end: pos,
        }
    }

    /// The smallest span covering both.
    #[inline]
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    #[inline]
    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    #[inline]
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The covered text.
    #[inline]
    pub fn text(self, source: &str) -> &str {
        &source[self.start as usize..self.end as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn span_math() {
        let a = Span::new(3, 5);
        let b = Span::new(8, 10);
        assert_eq!(a.to(b), Span::new(3, 10));
        assert_eq!(b.to(a), Span::new(3, 10));
        assert_eq!(a.len(), 2);
        assert!(Span::at(4).is_empty());
        assert_eq!(Span::new(1, 4).text("abcdef"), "bcd");
    }
}
