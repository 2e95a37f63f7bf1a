//! The render context as template values, converted as templates reach it.
//!
//! Converting a whole workflow into minijinja values up front would hold a
//! second copy of every job in memory; each job is planned and converted
//! when the template reads it, and dropped after.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};

use crate::target::Lowered;

/// `workflow`, each job planned and lowered only when the template reads it.
pub fn workflow(lowered: Box<dyn Lowered>) -> Value {
    Value::from_object(Workflow {
        fields: lowered.header(),
        jobs: Value::from_object(Jobs(lowered)),
    })
}

#[derive(Debug)]
struct Workflow {
    fields: Value,
    jobs: Value,
}

impl Object for Workflow {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "jobs" => Some(self.jobs.clone()),
            name => self.fields.get_attr(name).ok().filter(|v| !v.is_undefined()),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<Value> =
            self.fields.try_iter().map(Iterator::collect).unwrap_or_default();
        keys.retain(|k| k.as_str() != Some("jobs"));
        keys.push(Value::from("jobs"));
        Enumerator::Values(keys)
    }
}

/// The jobs of a workflow, lowered as they are read.
#[derive(Debug)]
struct Jobs(Box<dyn Lowered>);

impl Object for Jobs {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize().filter(|&i| i < self.0.job_count())?;
        Some(self.0.job(index))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.job_count())
    }
}
