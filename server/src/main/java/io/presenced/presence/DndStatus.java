package io.presenced.presence;

/** Extended Do-Not-Disturb status. */
public enum DndStatus {
    TakeAllCalls, DoNotAcceptAnyCalls, DoNotAcceptDepartmentCalls, TakeDepartmentCallsOnly;

    /** Whether this status only makes sense for a member of a department. */
    public boolean needsDepartment() {
        return this == DoNotAcceptDepartmentCalls || this == TakeDepartmentCallsOnly;
    }
}
