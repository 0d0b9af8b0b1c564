//! (module under construction on a feature branch)
