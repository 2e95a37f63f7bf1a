//! The render context as template values, converted as templates reach it.
//!
//! Converting a whole workflow into minijinja values up front would hold a
//! second copy of every job in memory; jobs are converted one at a time
//! instead, while the template loops over them, and dropped after.

use std::fmt;
use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde};
use serde::Serialize;

use crate::plan::PlannedWorkflow;
use crate::plan::context::WorkflowContext;

/// `workflow`: its fields, with `jobs` converted lazily.
pub fn workflow(mut context: WorkflowContext) -> Value {
    let jobs = std::mem::take(&mut context.jobs);
    Value::from_object(Workflow {
        fields: Value::from(Serde(&context)),
        jobs: Value::from_object(Lazy(jobs)),
    })
}

/// `workflow`, each job planned only when the template reads it.
pub fn planned(planned: PlannedWorkflow) -> Value {
    Value::from_object(Workflow {
        fields: Value::from(Serde(&planned.header())),
        jobs: Value::from_object(Planned(planned)),
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

/// A sequence whose items become template values when read.
struct Lazy<T>(Vec<T>);

impl<T> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} items]", self.0.len())
    }
}

impl<T: Serialize + Send + Sync + 'static> Object for Lazy<T> {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(|item| Value::from(Serde(item)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

/// The jobs of a workflow, planned as they are read.
#[derive(Debug)]
struct Planned(PlannedWorkflow);

impl Object for Planned {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize().filter(|&i| i < self.0.job_count())?;
        Some(Value::from(Serde(&self.0.job(index))))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.job_count())
    }
}
