//! Exception-code and exception representations.

use crate::apps::json::audit;

pub fn code(c: &str) -> String {
    format!(
        "json_build_object('id', {c}.id, {audit}, 'code', {c}.code, 'name', {c}.name, 'msg', {c}.msg, \
         'team', {c}.team, 'cycle', {c}.cycle, 'operator_msg', {c}.operator_msg, 'manifest', {c}.manifest_id)",
        audit = audit(c)
    )
}

/// An exception with its code nested.
pub fn exception(x: &str) -> String {
    let c = format!("{x}_c");
    format!(
        "json_build_object('id', {x}.id, {audit}, 'service', {x}.service, 'node', {x}.node, \
         'robot', {x}.robot, 'traceback', {x}.traceback, 'info', {x}.info, \
         'timestamp', hds_ts({x}.\"timestamp\"), 'handled', {x}.handled, 'primary', {x}.\"primary\", \
         'code', (SELECT {cj} FROM exception_codes {c} WHERE {c}.id = {x}.code_id), 'report', {x}.report_id)",
        audit = audit(x),
        cj = code(&c)
    )
}

/// The exceptions of error report `r`, earliest first.
pub fn exceptions_of(r: &str) -> String {
    let x = format!("{r}_x");
    format!(
        "COALESCE((SELECT json_agg({xj} ORDER BY {x}.\"timestamp\" NULLS LAST, {x}.id) \
         FROM exceptions {x} WHERE {x}.report_id = {r}.id), '[]'::json)",
        xj = exception(&x)
    )
}
