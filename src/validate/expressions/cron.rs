//! `schedule` lines: five cron fields, each `*`, a value, a range, a step
//! or a list of these, within the field's range; months and weekdays also
//! by name (`JAN`, `MON-FRI`). The rules of the parser actionlint and the
//! Forgejo and Gitea servers use (robfig/cron's standard fields, `?` read
//! as `*`). Forgejo also reads the `@daily`-style shortcuts and `@every`;
//! GitHub reads neither.

use std::ops::Range;

use super::Checker;
use crate::error::SpecError;
use crate::parse::spec::Spanned;
use crate::target::Target;

/// A field of a cron line: its name, its range, and names for its values.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] =
    &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [Field; 5] = [
    Field { name: "minute", min: 0, max: 59, names: &[] },
    Field { name: "hour", min: 0, max: 23, names: &[] },
    Field { name: "day of the month", min: 1, max: 31, names: &[] },
    Field { name: "month", min: 1, max: 12, names: MONTHS },
    Field { name: "day of the week", min: 0, max: 6, names: DAYS },
];

/// The shortcuts Forgejo reads, and the five fields each stands for.
const SHORTCUTS: &[(&str, &str)] = &[
    ("@yearly", "0 0 1 1 *"),
    ("@annually", "0 0 1 1 *"),
    ("@monthly", "0 0 1 * *"),
    ("@weekly", "0 0 * * 0"),
    ("@daily", "0 0 * * *"),
    ("@midnight", "0 0 * * *"),
    ("@hourly", "0 * * * *"),
];

const HELP: &str = "a cron line has five fields separated by spaces: minute (0-59), hour (0-23), day of the month (1-31), month (1-12 or JAN-DEC), day of the week (0-6 or SUN-SAT); e.g. `\"30 4 * * 1-5\"`";

/// What is wrong with a line, and where.
#[derive(Debug, PartialEq, Eq)]
struct Problem {
    range: Range<usize>,
    problem: String,
    help: Option<String>,
}

/// Reports `line` when it is not a cron expression `target` reads.
pub fn check(cx: &mut Checker<'_>, line: &Spanned<String>, target: Target) {
    if let Err(Problem { range, problem, help }) = parse(&line.value, target == Target::Forgejo) {
        let span = cx.locate(line, range);
        cx.error(SpecError::InvalidCron {
            line: line.value.clone(),
            problem,
            span,
            help: help.unwrap_or_else(|| HELP.to_owned()),
        });
    }
}

fn problem(range: Range<usize>, problem: String) -> Problem {
    Problem { range, problem, help: None }
}

/// Checks one line; `shortcuts` when `@daily` and the like are read.
fn parse(line: &str, shortcuts: bool) -> Result<(), Problem> {
    let words: Vec<(usize, &str)> = line
        .split_ascii_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .collect();
    if let Some(&(at, first)) = words.first()
        && first.starts_with('@')
    {
        let known = SHORTCUTS.iter().find(|(name, _)| name.eq_ignore_ascii_case(first));
        let every = first.eq_ignore_ascii_case("@every") && words.len() == 2;
        return match (known, shortcuts) {
            (Some(_), true) if words.len() == 1 => Ok(()),
            (None, true) if every => Ok(()),
            (Some((_, fields)), false) => Err(Problem {
                range: at..at + first.len(),
                problem: format!("`{first}` is a shortcut this target does not read"),
                help: Some(format!("write the five fields: `\"{fields}\"`")),
            }),
            _ => Err(problem(at..line.len(), format!("`{first}` is not a cron shortcut"))),
        };
    }
    if words.len() != FIELDS.len() {
        let range = match (words.first(), words.last()) {
            (Some((start, _)), Some((end, last))) => *start..end + last.len(),
            _ => 0..line.len(),
        };
        let count = words.len();
        return Err(problem(
            range,
            format!(
                "it has {count} {}, where cron has 5",
                if count == 1 { "field" } else { "fields" }
            ),
        ));
    }
    for ((at, word), field) in words.into_iter().zip(&FIELDS) {
        let mut start = at;
        for item in word.split(',') {
            item_of(item, start, field)?;
            start += item.len() + 1;
        }
    }
    Ok(())
}

/// One item of a field's list: `*`, `N`, `A-B`, each with an optional `/STEP`.
fn item_of(item: &str, at: usize, field: &Field) -> Result<(), Problem> {
    let whole = at..at + item.len();
    if item.is_empty() {
        return Err(problem(whole, format!("an empty item in the {}", field.name)));
    }
    let (range, step) = match item.split_once('/') {
        Some((range, step)) => (range, Some((step, at + range.len() + 1))),
        None => (item, None),
    };
    if let Some((step, step_at)) = step {
        let positive =
            step.bytes().all(|b| b.is_ascii_digit()) && step.parse::<u32>().is_ok_and(|n| n > 0);
        if !positive {
            let span = step_at..step_at + step.len();
            return Err(problem(span, format!("the step `/{step}` is not a positive number")));
        }
    }
    if range == "*" || range == "?" {
        return Ok(());
    }
    match range.split_once('-') {
        Some((low, high)) => {
            let low_value = value(low, at, field)?;
            let high_at = at + low.len() + 1;
            let high_value = value(high, high_at, field)?;
            if low_value > high_value {
                let span = at..at + range.len();
                return Err(problem(span, format!("the range `{range}` runs backwards")));
            }
        }
        None => {
            value(range, at, field)?;
        }
    }
    Ok(())
}

/// A value of `field`: a number in its range, or one of its names.
fn value(text: &str, at: usize, field: &Field) -> Result<u32, Problem> {
    let span = at..at + text.len();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u32>() {
            Ok(n) if (field.min..=field.max).contains(&n) => Ok(n),
            _ => Err(problem(
                span,
                format!(
                    "{text} is out of range for the {} ({}-{})",
                    field.name, field.min, field.max
                ),
            )),
        };
    }
    if let Some(index) = field.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        let index = u32::try_from(index).unwrap_or(0);
        return Ok(field.min + index);
    }
    Err(problem(span, format!("`{text}` is not a value of the {}", field.name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(line: &str, shortcuts: bool) -> Option<(String, String)> {
        parse(line, shortcuts).err().map(|p| (line[p.range].to_owned(), p.problem))
    }

    #[test]
    fn valid_lines() {
        for line in [
            "0 4 * * *",
            "*/15 * * * *",
            "30 5 * * 1-5",
            "0 0 1,15 * *",
            "0 12 * JAN-MAR mon",
            "5 4 ? * SUN",
            "0 0-23/2 * * *",
            "  0  3 * * 1 ",
            "0 3 * * 6",
            "5/10 * * * *",
        ] {
            assert_eq!(error(line, false), None, "{line}");
        }
        assert_eq!(error("@daily", true), None);
        assert_eq!(error("@every 5m", true), None);
    }

    #[test]
    fn mistakes_point_at_their_field() {
        let cases = [
            ("0 4 * *", "0 4 * *", "it has 4 fields, where cron has 5"),
            ("0 4 * * * *", "0 4 * * * *", "it has 6 fields, where cron has 5"),
            ("60 4 * * *", "60", "60 is out of range for the minute (0-59)"),
            ("0 24 * * *", "24", "24 is out of range for the hour (0-23)"),
            ("0 0 0 * *", "0", "0 is out of range for the day of the month (1-31)"),
            ("0 0 * 13 *", "13", "13 is out of range for the month (1-12)"),
            ("0 0 * * 7", "7", "7 is out of range for the day of the week (0-6)"),
            ("0 0 * * MON-SUNDAY", "SUNDAY", "`SUNDAY` is not a value of the day of the week"),
            ("0 0 * * 5-1", "5-1", "the range `5-1` runs backwards"),
            ("*/0 * * * *", "0", "the step `/0` is not a positive number"),
            ("1,,2 * * * *", "", "an empty item in the minute"),
            ("x * * * *", "x", "`x` is not a value of the minute"),
        ];
        for (line, at, problem) in cases {
            assert_eq!(error(line, false), Some((at.to_owned(), problem.to_owned())), "{line}");
        }
        let (at, problem) = error("@daily", false).unwrap();
        assert_eq!(at, "@daily");
        assert!(problem.contains("shortcut"));
        assert!(error("@sometimes", true).is_some());
        assert!(error("", false).is_some());
    }
}
