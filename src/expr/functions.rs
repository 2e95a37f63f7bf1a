//! The built-in functions and how many arguments each takes. Names match
//! case-insensitively: `toJson`, `tojson` and `toJSON` are one function.
//!
//! The table is the runner's (`contains` … `fromJson` and `case` in the
//! expression library, the status functions and `hashFiles` added by the
//! runner) and agrees with actionlint's `BuiltinFuncSignatures`, `case`
//! included (actionlint 1.7.11 and later). The runner caps the variadic
//! functions at 255 arguments; the table does not.

/// Where a function may be called, beyond "any expression".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restriction {
    /// Callable in every expression.
    None,
    /// `success`, `always`, `cancelled`, `failure`: only in `if` conditions
    /// of jobs and steps.
    Status,
    /// `hashFiles`: only in step-level keys, where a workspace exists.
    HashFiles,
}

/// A built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Function {
    /// The name as GitHub's documentation spells it.
    pub name: &'static str,
    /// The fewest arguments.
    pub min_args: usize,
    /// The most arguments; `None` for no limit.
    pub max_args: Option<usize>,
    /// Whether the number of arguments must be odd: `case` takes
    /// predicate/value pairs and a default.
    pub odd_args: bool,
    /// Where it may be called.
    pub restriction: Restriction,
}

const fn function(name: &'static str, min: usize, max: Option<usize>) -> Function {
    Function { name, min_args: min, max_args: max, odd_args: false, restriction: Restriction::None }
}

const fn restricted(
    name: &'static str,
    min: usize,
    max: Option<usize>,
    r: Restriction,
) -> Function {
    Function { restriction: r, ..function(name, min, max) }
}

/// Every built-in function.
pub const FUNCTIONS: &[Function] = &[
    function("contains", 2, Some(2)),
    function("startsWith", 2, Some(2)),
    function("endsWith", 2, Some(2)),
    function("format", 1, None),
    function("join", 1, Some(2)),
    function("toJSON", 1, Some(1)),
    function("fromJSON", 1, Some(1)),
    Function { odd_args: true, ..function("case", 3, None) },
    restricted("hashFiles", 1, None, Restriction::HashFiles),
    restricted("success", 0, Some(0), Restriction::Status),
    restricted("always", 0, Some(0), Restriction::Status),
    restricted("cancelled", 0, Some(0), Restriction::Status),
    restricted("failure", 0, Some(0), Restriction::Status),
];

/// The built-in function called `name`, in any case.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// A help line for an unknown function `name`: the closest built-in, or the
/// list of them.
pub fn help(name: &str) -> String {
    let names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
    crate::suggest::help(name, &names)
}

impl Function {
    /// Whether a call with `count` arguments is well-formed.
    pub fn accepts(&self, count: usize) -> bool {
        count >= self.min_args
            && self.max_args.is_none_or(|max| count <= max)
            && (!self.odd_args || count % 2 == 1)
    }

    /// The arguments it takes, for a message: "2", "1 or 2", "at least 1",
    /// "an odd number, at least 3".
    pub fn arity(&self) -> String {
        let count = match self.max_args {
            Some(max) if max == self.min_args => max.to_string(),
            Some(max) if max == self.min_args + 1 => format!("{} or {max}", self.min_args),
            Some(max) => format!("{} to {max}", self.min_args),
            None => format!("at least {}", self.min_args),
        };
        if self.odd_args { format!("an odd number, {count}") } else { count }
    }

    /// Whether it yields a boolean whatever its arguments, so that no text
    /// of theirs reaches the result.
    pub fn returns_boolean(&self) -> bool {
        matches!(self.name, "contains" | "startsWith" | "endsWith")
            || self.restriction == Restriction::Status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case() {
        assert_eq!(lookup("tojson").map(|f| f.name), Some("toJSON"));
        assert_eq!(lookup("TOJSON").map(|f| f.name), Some("toJSON"));
        assert_eq!(lookup("fromJson").map(|f| f.name), Some("fromJSON"));
        assert_eq!(lookup("HashFiles").map(|f| f.restriction), Some(Restriction::HashFiles));
        assert_eq!(lookup("Always").map(|f| f.restriction), Some(Restriction::Status));
        assert_eq!(lookup("toJSONx"), None);
        assert_eq!(help("startwith"), "did you mean `startsWith`?");
    }

    #[test]
    fn arities() {
        let accepts = |name: &str, n: usize| lookup(name).is_some_and(|f| f.accepts(n));
        for (name, ok, bad) in [
            ("contains", &[2][..], &[0, 1, 3][..]),
            ("startsWith", &[2], &[1, 3]),
            ("endsWith", &[2], &[1, 3]),
            ("format", &[1, 2, 9], &[0]),
            ("join", &[1, 2], &[0, 3]),
            ("toJSON", &[1], &[0, 2]),
            ("fromJSON", &[1], &[0, 2]),
            ("hashFiles", &[1, 4], &[0]),
            ("case", &[3, 5, 7], &[0, 1, 2, 4, 6]),
            ("success", &[0], &[1]),
            ("always", &[0], &[1]),
            ("cancelled", &[0], &[1]),
            ("failure", &[0], &[1]),
        ] {
            for &n in ok {
                assert!(accepts(name, n), "{name} with {n}");
            }
            for &n in bad {
                assert!(!accepts(name, n), "{name} with {n}");
            }
        }
    }

    #[test]
    fn arity_reads_well() {
        let arity = |name| lookup(name).map(Function::arity);
        assert_eq!(arity("contains").as_deref(), Some("2"));
        assert_eq!(arity("join").as_deref(), Some("1 or 2"));
        assert_eq!(arity("format").as_deref(), Some("at least 1"));
        assert_eq!(arity("case").as_deref(), Some("an odd number, at least 3"));
        assert_eq!(arity("always").as_deref(), Some("0"));
    }

    #[test]
    fn boolean_functions() {
        for name in ["contains", "startsWith", "endsWith", "success", "failure"] {
            assert!(lookup(name).is_some_and(Function::returns_boolean), "{name}");
        }
        for name in ["format", "join", "toJSON", "fromJSON", "case", "hashFiles"] {
            assert!(!lookup(name).is_some_and(Function::returns_boolean), "{name}");
        }
    }
}
