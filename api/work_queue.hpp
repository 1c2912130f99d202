// The database workers of reports-server. The reactor thread (http_server.cpp) reads requests,
// writes responses and enforces the connection timeouts for every connection; a report that
// blocked it for seconds would stall them all (under Pistache, whose handlers ran on its reactor
// threads, 16 connections on 2 threads lost every response). So the reactor only parses a request
// and queues it here; a fixed set of workers, one database connection each, runs the reports.
//
// A request waits at most `max_wait` for a worker, then is rejected (answered 503 by its owner),
// so a burst cannot queue requests for longer than a client would wait anyway. Pure C++ (no
// sockets, no libpqxx): unit-tested in tests/api.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace support_reports::api {

class WorkQueue {
public:
    // Exactly one of `run` (on a worker) and `reject` (waited too long, queue full or stopping) is
    // called, once. `reject` may run on the reaper thread, on the thread calling stop(), or on
    // the submitting thread when submit() refuses the job.
    struct Job {
        std::function<void()> run;
        std::function<void()> reject;
    };

    // `max_wait` of zero means no limit. `max_queued` bounds the jobs waiting (not running).
    WorkQueue(int workers, std::chrono::milliseconds max_wait, std::size_t max_queued);
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;
    ~WorkQueue();

    // Queues the job, or calls its `reject` right away when the queue is full or stopped.
    void submit(Job job);

    // Rejects every job still waiting, lets running jobs finish and joins the threads. Idempotent.
    void stop();

    std::size_t waiting() const;

private:
    struct Entry {
        Job job;
        std::chrono::steady_clock::time_point deadline;
    };
    void work();
    void reap();
    bool overdue(const Entry& e, std::chrono::steady_clock::time_point now) const;

    const std::chrono::milliseconds max_wait_;
    const std::size_t max_queued_;
    mutable std::mutex mu_;
    std::condition_variable work_cv_;
    std::condition_variable reap_cv_;
    std::deque<Entry> queue_;  // FIFO, so deadlines are in order too
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace support_reports::api
