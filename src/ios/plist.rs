//! (being written on its feature branch)
