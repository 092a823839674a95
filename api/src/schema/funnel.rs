//! Funnel figures of a posting, computed in SQL from the transition log. (Being built.)
