#include "work_queue.hpp"

#include <utility>

namespace support_reports::api {

WorkQueue::WorkQueue(int workers, std::chrono::milliseconds max_wait, std::size_t max_queued)
    : max_wait_(max_wait), max_queued_(max_queued) {
    threads_.reserve(static_cast<std::size_t>(workers) + 1);
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
    if (max_wait_.count() > 0) threads_.emplace_back([this] { reap(); });
}

WorkQueue::~WorkQueue() { stop(); }

bool WorkQueue::overdue(const Entry& e, std::chrono::steady_clock::time_point now) const {
    return max_wait_.count() > 0 && now >= e.deadline;
}

void WorkQueue::submit(Job job) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (!stopping_ && queue_.size() < max_queued_) {
            queue_.push_back({std::move(job), std::chrono::steady_clock::now() + max_wait_});
            work_cv_.notify_one();
            if (queue_.size() == 1) reap_cv_.notify_one();
            return;
        }
    }
    job.reject();
}

void WorkQueue::work() {
    for (;;) {
        Entry entry;
        {
            std::unique_lock<std::mutex> lock(mu_);
            work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, nothing left
            entry = std::move(queue_.front());
            queue_.pop_front();  // the reaper, waiting for the old head's deadline, re-checks then
        }
        // The reaper may not have woken yet for a job that is already overdue.
        if (overdue(entry, std::chrono::steady_clock::now())) entry.job.reject();
        else entry.job.run();
    }
}

void WorkQueue::reap() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
        if (queue_.empty()) {
            reap_cv_.wait(lock);
            continue;
        }
        const auto now = std::chrono::steady_clock::now();
        if (!overdue(queue_.front(), now)) {
            const auto deadline = queue_.front().deadline;  // a copy: the entry may leave while we wait
            reap_cv_.wait_until(lock, deadline);
            continue;
        }
        std::vector<Job> expired;
        while (!queue_.empty() && overdue(queue_.front(), now)) {
            expired.push_back(std::move(queue_.front().job));
            queue_.pop_front();
        }
        lock.unlock();  // reject() sends a response: never under the lock
        for (auto& job : expired) job.reject();
        lock.lock();
    }
}

void WorkQueue::stop() {
    std::deque<Entry> left;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
        left.swap(queue_);
    }
    work_cv_.notify_all();
    reap_cv_.notify_all();
    for (auto& e : left) e.job.reject();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    std::lock_guard<std::mutex> lock(mu_);
    threads_.clear();
}

std::size_t WorkQueue::waiting() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.size();
}

}  // namespace support_reports::api
